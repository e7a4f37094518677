package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.commands.trust.RunPolicy;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageRoot;
import dev.berth.runtime.RunDirectory;
import dev.berth.runtime.Tools;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.site.SiteConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth info}: where berth keeps things, which host programs it found, and what this kernel lets it do. */
public final class InfoCommand implements Subcommand {
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show berth's paths, the host programs it uses, and what this machine lets it do.",
                        "For a bug report, or to see why a run cannot work here.")
                .flag("--json", "Print the same as JSON.", () -> json = true);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Map<String, String> environment = System.getenv();
        ImageCache cache = ContainerCommand.cache(null);
        SiteConfig site = SiteSettings.get();
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("data", invocation.dataDir().toString());
        paths.put("cache", cache.userDirectory().toString());
        paths.put("shared cache", cache.sharedDirectory().map(Path::toString).orElse("(none)"));
        paths.put("runs", RunDirectory.base(environment, Caller.current(environment)).toString());
        BerthConfig.candidates(environment).forEach(file -> paths.put("config " + file, present(file)));
        RunPolicy.files(environment).forEach(file -> paths.put("policy " + file, present(file)));
        paths.put("site config " + site.file(), site.inUse() ? "in use" : Files.exists(site.file()) ? "ignored" : "absent");
        Map<String, String> tools = new LinkedHashMap<>();
        for (Tools tool : Tools.values()) {
            tools.put(tool.command(), tool.find().map(Path::toString).orElse("missing (apt-get install " + tool.debianPackage() + ")"));
        }
        Map<String, String> features = new LinkedHashMap<>();
        features.put("user namespaces", userNamespaces());
        features.put("fuse (--fuse)", ImageRoot.fuseAvailable() ? "yes" : "no: /dev/fuse is not usable by you, or squashfuse_ll is missing");
        features.put("writable overlay (--writable-tmpfs)", ImageRoot.fuseAvailable() && Tools.FUSE_OVERLAYFS.find().isPresent()
                ? "yes" : "no: needs FUSE and fuse-overlayfs");
        if (json) {
            ObjectNode report = Json.mapper().createObjectNode();
            report.put("version", VersionCommand.version()).put("java", Runtime.version().toString())
                    .put("platform", Platform.host().toString());
            report.set("paths", Json.mapper().valueToTree(paths));
            report.set("tools", Json.mapper().valueToTree(tools));
            report.set("features", Json.mapper().valueToTree(features));
            report.set("site", Json.mapper().valueToTree(siteSettings(site)));
            invocation.out().println(Json.writePretty(report));
            return 0;
        }
        PrintWriter out = invocation.out();
        VersionCommand.print(out);
        section(out, "paths", paths);
        section(out, "tools", tools);
        section(out, "features", features);
        if (site.inUse()) {
            section(out, "site (" + site.file() + ")", siteSettings(site));
        }
        return 0;
    }

    /** What the site adds to containers and which modules a run can ask for, as 'berth exec --module' users need to know. */
    private static Map<String, String> siteSettings(SiteConfig site) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("default binds", site.defaultBinds().isEmpty() ? "(none)" : String.join(", ", site.defaultBinds().stream()
                .map(bind -> bind.source() + (Files.exists(bind.source()) ? "" : " (not on this node)")).toList()));
        settings.put("allowed registries", site.allowedRegistries().isEmpty() ? "(all)" : String.join(", ", site.allowedRegistries()));
        site.modules().values().forEach(module -> settings.put("module " + module.name(),
                (module.enabledByDefault() ? "default" : "with --module " + module.name())
                        + (module.description().isEmpty() ? "" : ": " + module.description())));
        return settings;
    }

    private static void section(PrintWriter out, String title, Map<String, String> values) {
        out.println();
        out.println(title + ":");
        values.forEach((key, value) -> out.println("  " + key + ": " + value));
    }

    private static String present(Path file) {
        return Files.isRegularFile(file) ? "present" : "absent";
    }

    /** Debian's switch, then the limit every kernel has; either at 0 stops unprivileged containers. */
    private static String userNamespaces() {
        try {
            Path debianSwitch = Path.of("/proc/sys/kernel/unprivileged_userns_clone");
            if (Files.exists(debianSwitch) && Files.readString(debianSwitch).strip().equals("0")) {
                return "no: kernel.unprivileged_userns_clone is 0 (an admin can set it to 1)";
            }
            String limit = Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).strip();
            return limit.equals("0") ? "no: user.max_user_namespaces is 0" : "yes (at most " + limit + ")";
        } catch (IOException unreadable) {
            return "unknown: " + unreadable.getMessage();
        }
    }
}
