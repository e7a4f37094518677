package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import dev.berth.runtime.sandbox.Caller;
import dev.berth.runtime.sandbox.ContainerOptions.RootMode;
import dev.berth.runtime.sandbox.ContainerOptions;
import dev.berth.runtime.site.SiteChoice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options run, exec and shell share: how the container sees the host. */
final class ContainerFlags {
    private final List<String> binds = new ArrayList<>();
    private final List<String> environment = new ArrayList<>();
    private final List<Path> environmentFiles = new ArrayList<>();
    private boolean cleanEnvironment;
    private boolean noHome;
    private boolean contain;
    private Path workingDirectory;
    private boolean writableTmpfs;
    private boolean fakeroot;
    private String network = "host";
    private boolean ownPids;
    private boolean shareNamespace;
    private boolean sandbox;
    private boolean fuse;
    private String user;
    Path sharedCache;
    private final List<String> modules = new ArrayList<>();
    private final List<String> leftOutModules = new ArrayList<>();
    private boolean noDefaultModules;
    private boolean noDefaultBinds;
    private final DeviceFlags devices = new DeviceFlags();

    void declare(Syntax syntax) {
        syntax.option("-B, --bind", "SRC[:DST[:ro]][,...]", "Make host paths visible inside (repeatable, or a comma-separated list; "
                                + "also from $BERTH_BIND); ro makes one read-only.", value -> binds.addAll(List.of(value.split(","))))
                .option("-e, --env", "KEY=VALUE|KEY", "Set a variable inside, or pass the host's KEY (repeatable; wins over "
                        + "--env-file, $BERTHENV_KEY and the image).", environment::add)
                .option("--env-file", "FILE", "Read KEY=VALUE lines from FILE (repeatable; # starts a comment).",
                        value -> environmentFiles.add(Path.of(value)))
                .flag("--cleanenv", "Start from an empty environment, keeping only TERM, HOME, USER, LANG and the like.",
                        () -> cleanEnvironment = true)
                .flag("--no-home", "Do not bind your home directory (an empty one is shown in its place).", () -> noHome = true)
                .flag("-c, --contain", "Bind nothing but the --bind paths: no home, working directory or host /tmp; a private /dev.",
                        () -> contain = true)
                .option("-w, --workdir, --pwd", "DIR", "Working directory inside (default: yours when it is visible, else the image's).",
                        value -> workingDirectory = Path.of(value))
                .option("-u, --user", "UID[:GID]", "Accepted as Docker has it, for yourself only: your uid (and gid) or name, "
                        + "or 0 with --fakeroot.", value -> user = value)
                .flag("--rm", "Accepted for Docker habits: berth keeps nothing of a container once it exits.", () -> { })
                .flag("-i, --interactive", "Accepted for Docker habits: standard input always reaches the container.", () -> { })
                .flag("-t, --tty", "Accepted for Docker habits: the container shares your terminal when there is one.", () -> { })
                .flag("--writable-tmpfs", "Let the container write anywhere in its image; the writes are kept in memory and vanish at exit.",
                        () -> writableTmpfs = true)
                .flag("--fakeroot", "Appear as root (uid 0) inside; grants no privilege on the host.", () -> fakeroot = true)
                .option("--net", "host|none", "Network: the host's (default) or none.", value -> network = value)
                .flag("--pid", "Give the container its own PID namespace.", () -> ownPids = true)
                .flag("--sharens", "Share one user namespace with the other containers of the same parent process"
                        + " (the MPI ranks of a node), so that single-copy transfers between them work.", () -> shareNamespace = true)
                .flag("--sandbox", "Run from a directory extracted once from the image into your cache (the default).",
                        () -> sandbox = true)
                .flag("--fuse", "Mount the image file with squashfuse_ll for this run instead of extracting it.", () -> fuse = true)
                .option("--shared-cache", "DIR",
                        "A read-only cache of converted images to use before your own (default: $BERTH_SHARED_CACHE, "
                                + "else the site's [cache] shared).",
                        value -> sharedCache = Path.of(value))
                .option("--module", "NAME[,...]", "Add the site's module NAME: the files and variables it defines in "
                        + "/etc/berth/berth.toml, e.g. the site's MPI (repeatable, or a comma-separated list).",
                        value -> modules.addAll(List.of(value.split(","))))
                .option("--no-module", "NAME[,...]", "Leave out a module the site adds by default (repeatable, or a list).",
                        value -> leftOutModules.addAll(List.of(value.split(","))))
                .flag("--no-modules", "Leave out every module the site adds by default (--module still adds one).",
                        () -> noDefaultModules = true)
                .flag("--no-default-binds", "Leave out the paths the site binds into every container ([binds] default).",
                        () -> noDefaultBinds = true);
        devices.declare(syntax);
    }

    /** The container gets its own PID namespace whatever the command line said (an instance always does). */
    void ownPidNamespace() {
        ownPids = true;
    }

    /** What the user took from, or left out of, the site's configuration. */
    SiteChoice siteChoice() {
        return new SiteChoice(modules, leftOutModules, noDefaultModules, noDefaultBinds);
    }

    ContainerOptions toOptions() throws IOException {
        if (fuse && sandbox) {
            throw new UsageException("--fuse and --sandbox exclude each other");
        }
        if (!network.equals("host") && !network.equals("none")) {
            throw new UsageException("--net must be host or none, not \"" + network + "\"");
        }
        if (workingDirectory != null && !workingDirectory.isAbsolute()) {
            throw new UsageException("--pwd must be an absolute path inside the container, not \"" + workingDirectory + "\"");
        }
        checkUser();
        Map<String, String> host = System.getenv();
        Map<String, String> variables = new LinkedHashMap<>(PrefixedEnvironment.variables(host));
        for (Path file : environmentFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new BerthException("NOT_FOUND", "--env-file " + file + ": no such file");
            }
            for (String line : lines) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    put(variables, trimmed, host, "--env-file " + file);
                }
            }
        }
        for (String assignment : environment) {
            put(variables, assignment, host, "--env");
        }
        return new ContainerOptions(allBinds(host).stream().map(Bind::parse).toList(), variables, cleanEnvironment, noHome, contain,
                workingDirectory, writableTmpfs, fakeroot, network.equals("host"), ownPids, shareNamespace,
                fuse ? RootMode.FUSE : sandbox ? RootMode.DIRECTORY : RootMode.AUTO, devices.toRequest());
    }

    /** KEY=VALUE sets; a bare KEY passes the host's value, and nothing when the host has none (as Docker's -e KEY). */
    private static void put(Map<String, String> variables, String assignment, Map<String, String> host, String from) {
        int equals = assignment.indexOf('=');
        if (equals == 0 || assignment.isEmpty()) {
            throw new UsageException(from + ": \"" + assignment + "\" is not KEY=VALUE or KEY");
        }
        if (equals < 0) {
            if (host.containsKey(assignment)) {
                variables.put(assignment, host.get(assignment));
            }
            return;
        }
        variables.put(assignment.substring(0, equals), assignment.substring(equals + 1));
    }

    /** $BERTH_BIND's comma-separated binds first, as Apptainer reads $APPTAINER_BIND, then the --bind ones. */
    private List<String> allBinds(Map<String, String> host) {
        List<String> all = new ArrayList<>();
        String fromEnvironment = host.get("BERTH_BIND");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            all.addAll(List.of(fromEnvironment.split(",")));
        }
        all.addAll(binds);
        return all;
    }

    /**
     * -u names the user the container runs as, and berth runs it as the caller: anyone else would
     * need privileges berth does not take. So -u may only repeat the caller, or ask for 0 with --fakeroot.
     */
    private void checkUser() {
        if (user == null) {
            return;
        }
        Caller caller = Caller.current(System.getenv());
        String[] parts = user.split(":", 2);
        boolean root = parts[0].equals("0") || parts[0].equals("root");
        boolean self = parts[0].equals(Long.toString(caller.uid())) || parts[0].equals(caller.userName());
        boolean groupFits = parts.length == 1 || parts[1].equals(root && fakeroot ? "0" : Long.toString(caller.gid()))
                || (root && fakeroot && parts[1].equals("root"));
        if (root && !fakeroot) {
            throw new UsageException("-u " + user + " needs --fakeroot: berth runs containers as you, and --fakeroot makes you "
                    + "appear as root inside");
        }
        if ((!root && !self) || !groupFits) {
            throw new UsageException("-u " + user + ": berth runs containers as you (" + caller.userName() + ", uid "
                    + caller.uid() + ", gid " + caller.gid() + "); -u can only name you, or 0 with --fakeroot");
        }
    }
}
