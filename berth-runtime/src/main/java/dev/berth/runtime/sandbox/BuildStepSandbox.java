package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one build step (a Dockerfile RUN) in bubblewrap with the image's tree, writable, as its
 * root: the caller appears as {@code uid} (0 unless the recipe set USER) inside an unprivileged
 * user namespace, so files the step creates belong to the caller on the host and to root in the
 * image. Nothing of the host shows inside but /proc, a minimal /dev and, with the network, the
 * host's resolver configuration; mount points are made by berth inside the tree, following the
 * image's links as the container would ({@link MountPoints}), and removed afterwards, so they
 * never become part of a layer. Steps run with the {@link FakeRootFilter} and, in an image with
 * APT, {@link AptFakeRoot}'s setting bound into its configuration for the step only.
 */
public final class BuildStepSandbox {
    /** What a step runs, where and as whom, and what is mounted into its tree for the step only (RUN --mount). */
    public record Step(Path tree, String workingDirectory, long uid, long gid, Map<String, String> environment,
                       List<String> command, boolean network, List<Mount> mounts) {
        public Step {
            environment = Map.copyOf(environment);
            command = List.copyOf(command);
            mounts = List.copyOf(mounts);
        }
    }

    /** A host file or directory bound at {@code target} (an absolute path inside), or, without a source, an empty tmpfs there. */
    public record Mount(Path source, String target, boolean writable) {
        public static Mount tmpfs(String target) {
            return new Mount(null, target, true);
        }
    }

    private static final String RESOLVER = "/etc/resolv.conf";

    private BuildStepSandbox() {
    }

    /** Runs the step and returns its exit code; {@code privateDirectory} holds the sandbox's arguments file briefly. */
    public static int run(Step step, Path privateDirectory) throws IOException {
        List<String> options = new ArrayList<>(List.of("--unshare-user", "--unshare-ipc", "--unshare-uts", "--hostname", "berth-build",
                "--die-with-parent", "--new-session", "--uid", Long.toString(step.uid()), "--gid", Long.toString(step.gid()),
                "--bind", step.tree().toString(), "/"));
        try (MountPoints mountPoints = new MountPoints(step.tree())) {
            options.addAll(List.of("--proc", mountPoints.place("/proc", MountPoints.Kind.EMPTY),
                    "--dev", mountPoints.place("/dev", MountPoints.Kind.EMPTY)));
            if (!step.network()) {
                options.add("--unshare-net");
            } else if (Files.isRegularFile(Path.of(RESOLVER)) && mountPoints.existingDirectory("/etc").isPresent()) {
                options.addAll(List.of("--ro-bind", RESOLVER, mountPoints.place(RESOLVER, MountPoints.Kind.FILE)));
            }
            if (mountPoints.existingDirectory(AptFakeRoot.CONFIGURATION_DIRECTORY).isPresent()) {
                Path aptFakeRoot = privateDirectory.resolve("apt-fake-root.conf");
                Files.writeString(aptFakeRoot, AptFakeRoot.SETTING);
                String destination = AptFakeRoot.CONFIGURATION_DIRECTORY + "/" + AptFakeRoot.FILE_NAME;
                options.addAll(List.of("--ro-bind", aptFakeRoot.toString(), mountPoints.place(destination, MountPoints.Kind.FILE)));
            }
            for (Mount mount : step.mounts()) {
                if (mount.source() == null) {
                    options.addAll(List.of("--tmpfs", mountPoints.place(mount.target(), MountPoints.Kind.EMPTY)));
                } else {
                    MountPoints.Kind kind = Files.isDirectory(mount.source()) ? MountPoints.Kind.DIRECTORY : MountPoints.Kind.FILE;
                    options.addAll(List.of(mount.writable() ? "--bind" : "--ro-bind", mount.source().toString(),
                            mountPoints.place(mount.target(), kind)));
                }
            }
            options.addAll(List.of("--chdir", step.workingDirectory()));
            return Launcher.run(privateDirectory.resolve("bwrap.args"), options, step.environment(), step.command(),
                    new Launcher.Start(true, true, Optional.empty(), List.of()));
        }
    }
}
