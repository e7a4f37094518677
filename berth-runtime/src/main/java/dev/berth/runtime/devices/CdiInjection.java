package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan for CDI devices: for each spec used, its spec-wide edits, then each device's own
 * (so a device's variable wins over its spec's).
 *
 * <p>Hooks are OCI hooks that a privileged runtime runs on the host, in the container's
 * namespaces, before the container starts; berth runs nothing as anyone but the caller and has no
 * such stage, so hooks are skipped, with one warning line that names them. The common one,
 * nvidia-ctk's {@code update-ldcache}, makes the mounted driver libraries loadable by running
 * ldconfig in the container; berth gets the same effect without writing to the image: each
 * library mounted into a folder that hook names is also bound into the library directory under
 * its SONAME, and that directory is appended to LD_LIBRARY_PATH.
 */
final class CdiInjection {
    private static final String LDCACHE_HOOK = "update-ldcache";

    private final List<InjectionPlan.DeviceNode> deviceNodes = new ArrayList<>();
    private final List<Bind> binds = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Set<String> libraryFolders = new HashSet<>();
    private final Set<String> skippedHooks = new LinkedHashSet<>();
    private final List<String> skippedMounts = new ArrayList<>();

    private CdiInjection() {
    }

    static InjectionPlan plan(List<CdiRegistry.Selected> devices) {
        CdiInjection injection = new CdiInjection();
        Set<Path> specsApplied = new HashSet<>();
        for (CdiRegistry.Selected device : devices) {
            if (specsApplied.add(device.file())) {
                injection.apply(device.spec().containerEdits(), device.spec().kind());
            }
            injection.apply(device.device().containerEdits(), device.qualifiedName());
        }
        return injection.toPlan();
    }

    private void apply(CdiSpec.ContainerEdits edits, String owner) {
        for (String variable : edits.env()) {
            int equals = variable.indexOf('=');
            environment.put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        for (CdiSpec.DeviceNode node : edits.deviceNodes()) {
            deviceNodes.add(new InjectionPlan.DeviceNode(requireOnHost(node.source(), owner), node.path()));
        }
        for (CdiSpec.Mount mount : edits.mounts()) {
            if (mount.type() != null && !mount.type().equals("bind")) {
                skippedMounts.add(mount.type() + " on " + mount.containerPath());
                continue;
            }
            binds.add(new Bind(requireOnHost(mount.hostPath(), owner), Path.of(mount.containerPath()).normalize(),
                    mount.options().contains("ro")));
        }
        for (CdiSpec.Hook hook : edits.hooks()) {
            List<String> words = words(hook);
            if (words.contains(LDCACHE_HOOK)) {
                libraryFolders.addAll(folders(hook));
            } else {
                skippedHooks.add(String.join(" ", words));
            }
        }
    }

    private InjectionPlan toPlan() {
        List<Bind> all = new ArrayList<>(binds);
        for (Bind bind : binds) {
            Path destination = bind.destination();
            String fileName = destination.getFileName() == null ? "" : destination.getFileName().toString();
            if (destination.getParent() != null && libraryFolders.contains(destination.getParent().toString())
                    && fileName.contains(".so") && Files.isRegularFile(bind.source())) {
                String soname = SharedObjectName.of(bind.source()).orElse(fileName);
                all.add(new Bind(bind.source(), Path.of(InjectionPlan.LIBRARY_DIRECTORY, soname), true));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!skippedHooks.isEmpty()) {
            warnings.add("skipping CDI hooks, which only a privileged runtime can run: " + String.join(", ", skippedHooks));
        }
        if (!skippedMounts.isEmpty()) {
            warnings.add("skipping CDI mounts that are not binds: " + String.join(", ", skippedMounts));
        }
        return new InjectionPlan(deviceNodes, all, environment, List.of(),
                all.size() > binds.size() ? List.of(InjectionPlan.LIBRARY_DIRECTORY) : List.of(), List.of(), warnings);
    }

    /** The hook's program and its subcommand words, e.g. "nvidia-ctk hook create-symlinks": how a user recognises it. */
    private static List<String> words(CdiSpec.Hook hook) {
        List<String> words = new ArrayList<>(List.of(hook.path().substring(hook.path().lastIndexOf('/') + 1)));
        for (String arg : hook.args().stream().skip(1).toList()) {
            if (arg.startsWith("-")) {
                break;
            }
            words.add(arg);
        }
        return words;
    }

    /** The folders an update-ldcache hook adds to the container's cache: {@code --folder DIR} or {@code --folder=DIR}. */
    private static List<String> folders(CdiSpec.Hook hook) {
        List<String> folders = new ArrayList<>();
        List<String> args = hook.args();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--folder") && i + 1 < args.size()) {
                folders.add(Path.of(args.get(i + 1)).normalize().toString());
            } else if (args.get(i).startsWith("--folder=")) {
                folders.add(Path.of(args.get(i).substring("--folder=".length())).normalize().toString());
            }
        }
        return folders;
    }

    private static Path requireOnHost(String path, String owner) {
        Path host = Path.of(path);
        if (!Files.exists(host)) {
            throw new BerthException("CDI_HOST_PATH_MISSING", "CDI " + owner + " needs " + path
                    + ", which this host does not have (is the spec out of date? regenerate it)");
        }
        return host;
    }
}
