package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;
import dev.berth.runtime.devices.InjectionPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bubblewrap command line for one container. bwrap does the privileged-looking work inside
 * an unprivileged user namespace: the caller keeps their uid and gid (or appears as 0 with
 * --fakeroot), gets no capabilities, and runs with no_new_privs, so setuid files grant nothing.
 */
public final class BwrapCommand {
    /** Host directories the working directory is never bound over, since the image provides its own. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/", "/bin", "/sbin", "/lib", "/lib64", "/usr",
            "/etc", "/proc", "/sys", "/dev", "/var", "/opt", "/boot", "/run");

    /** What the container's root is built from. */
    public record Root(Path directory, boolean writable) {
    }

    /** Generated files bound into /etc. */
    public record EtcFiles(Path passwd, Path group) {
    }

    /** bwrap's options, and where each path inside will come from, to look things up before the container starts. */
    public record Plan(List<String> arguments, ContainerPaths paths) {
    }

    private BwrapCommand() {
    }

    /**
     * bwrap's options for the container; the command follows them.
     *
     * @param devices              device nodes and host files for the requested devices
     * @param hostWorkingDirectory berth's own working directory, bound into the container by default
     * @param workingDirectory     where the command starts inside
     * @param berthState           berth's own files (store, caches, config, installation): read-only wherever they show inside
     */
    public static Plan build(Root root, ContainerOptions options, InjectionPlan devices, Caller caller, EtcFiles etc,
                             Path hostWorkingDirectory, String workingDirectory, List<Path> berthState)
            throws IOException {
        List<String> args = new ArrayList<>();
        if (!options.shareNamespace()) {
            // a container of a shared namespace is told at its start to make the namespace or to join it (Launcher)
            args.add("--unshare-user");
        }
        args.addAll(List.of("--unshare-uts", "--die-with-parent", "--new-session",
                "--uid", options.fakeroot() ? "0" : Long.toString(caller.uid()),
                "--gid", options.fakeroot() ? "0" : Long.toString(caller.gid())));
        if (!options.network()) {
            args.add("--unshare-net");
        }
        if (options.ownPids()) {
            args.add("--unshare-pid");
        }
        Map<String, List<String>> mounts = mounts(options, devices, caller, etc, hostWorkingDirectory);
        RootLayout layout = null;
        if (root.writable()) {
            args.addAll(List.of("--bind", root.directory().toString(), "/"));
        } else {
            layout = RootLayout.of(root.directory(), mounts.keySet());
            args.addAll(layout.arguments());
        }
        List<List<String>> protections = StateProtection.readOnlyOver(mounts, berthState);
        mounts.values().forEach(args::addAll);
        protections.forEach(args::addAll);
        if (layout != null) {
            args.addAll(layout.remountReadOnly());
        }
        args.addAll(List.of("--chdir", workingDirectory));
        return new Plan(args, new ContainerPaths(root.directory(), mounts));
    }

    /** Every mount the container gets besides the image, keyed by its destination (a later one replaces an earlier). */
    private static Map<String, List<String>> mounts(ContainerOptions options, InjectionPlan devices, Caller caller,
                                                    EtcFiles etc, Path hostWorkingDirectory) {
        Map<String, List<String>> mounts = new LinkedHashMap<>();
        mounts.put("/proc", List.of("--proc", "/proc"));
        mounts.put("/dev", options.contain() ? List.of("--dev", "/dev") : List.of("--dev-bind", "/dev", "/dev"));
        mounts.put("/sys", List.of("--ro-bind", "/sys", "/sys"));
        mounts.put("/tmp", options.contain() ? List.of("--tmpfs", "/tmp") : List.of("--bind", "/tmp", "/tmp"));
        String home = caller.home().toString();
        if (!SYSTEM_DIRECTORIES.contains(home)) {
            mounts.put(home, options.contain() || options.noHome() ? List.of("--tmpfs", home) : List.of("--bind", home, home));
        }
        String cwd = hostWorkingDirectory.toString();
        if (showsHostDirectory(options, caller, hostWorkingDirectory) && !isUnder(cwd, "/tmp") && !isUnder(cwd, home)) {
            mounts.put(cwd, List.of("--bind", cwd, cwd));
        }
        // --dev-bind, so that the nodes work in --contain's private /dev as well
        for (InjectionPlan.DeviceNode node : devices.deviceNodes()) {
            requireMountPoint(node, options);
            putLast(mounts, node.containerPath(), List.of("--dev-bind", node.hostPath().toString(), node.containerPath()));
        }
        // the user's own binds come last, so a --bind wins over an injected file at the same place
        for (Bind bind : Stream.concat(devices.binds().stream(), options.binds().stream()).toList()) {
            String destination = bind.destination().toString();
            putLast(mounts, destination, List.of(bind.readOnly() ? "--ro-bind" : "--bind", bind.source().toString(), destination));
        }
        mounts.put("/etc/passwd", List.of("--ro-bind", etc.passwd().toString(), "/etc/passwd"));
        mounts.put("/etc/group", List.of("--ro-bind", etc.group().toString(), "/etc/group"));
        for (String file : List.of("/etc/resolv.conf", "/etc/hosts")) {
            if (Files.isRegularFile(Path.of(file))) {
                mounts.put(file, List.of("--ro-bind", file, file));
            }
        }
        return mounts;
    }

    /** The host's /dev is shared read-write: bwrap could only make a missing node's mount point in the host's own /dev. */
    private static void requireMountPoint(InjectionPlan.DeviceNode node, ContainerOptions options) {
        if (!options.contain() && isUnder(node.containerPath(), "/dev") && !Files.exists(Path.of(node.containerPath()))) {
            throw new BerthException("DEVICE_NODE_NEEDS_CONTAIN", "device node " + node.containerPath()
                    + " is not in this host's /dev, which the container shares; add --contain for a private /dev where it can be made");
        }
    }

    /** Adds a mount after every other, replacing one at the same destination. */
    private static void putLast(Map<String, List<String>> mounts, String destination, List<String> operation) {
        mounts.remove(destination);
        mounts.put(destination, operation);
    }

    /**
     * Whether the caller's working directory {@code dir} is visible inside at the same path: bound
     * itself, or under the bound home or /tmp. Never with --contain, nor inside a hidden home.
     */
    public static boolean showsHostDirectory(ContainerOptions options, Caller caller, Path dir) {
        String path = dir.toString();
        boolean inHiddenHome = options.noHome() && isUnder(path, caller.home().toString());
        return !options.contain() && !isSystemPath(path) && !inHiddenHome;
    }

    private static boolean isSystemPath(String path) {
        return SYSTEM_DIRECTORIES.stream().anyMatch(dir -> path.equals(dir) || (!dir.equals("/") && isUnder(path, dir)));
    }

    private static boolean isUnder(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }
}
