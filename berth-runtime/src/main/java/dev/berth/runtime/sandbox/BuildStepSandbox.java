package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one build step (a Dockerfile RUN) in bubblewrap with the image's tree, writable, as its
 * root: the caller appears as {@code uid} (0 unless the recipe set USER) inside an unprivileged
 * user namespace, so files the step creates belong to the caller on the host and to root in the
 * image. Nothing of the host shows inside but /proc, a minimal /dev and, with the network, the
 * host's resolver configuration; mount points bwrap had to create are removed afterwards, so they
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
        List<Path> created = new ArrayList<>();
        mountPoint(step.tree(), "proc", created);
        mountPoint(step.tree(), "dev", created);
        options.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        if (!step.network()) {
            options.add("--unshare-net");
        } else if (Files.isRegularFile(Path.of(RESOLVER)) && Files.isDirectory(step.tree().resolve("etc"), LinkOption.NOFOLLOW_LINKS)) {
            mountPoint(step.tree(), RESOLVER.substring(1), created);
            options.addAll(List.of("--ro-bind", RESOLVER, RESOLVER));
        }
        if (AptFakeRoot.present(step.tree())) {
            Path aptFakeRoot = privateDirectory.resolve("apt-fake-root.conf");
            Files.writeString(aptFakeRoot, AptFakeRoot.SETTING);
            String destination = "/" + AptFakeRoot.CONFIGURATION_DIRECTORY + "/" + AptFakeRoot.FILE_NAME;
            mountPoint(step.tree(), destination.substring(1), created);
            options.addAll(List.of("--ro-bind", aptFakeRoot.toString(), destination));
        }
        for (Mount mount : step.mounts()) {
            mountPoint(step.tree(), mount.target().replaceFirst("^/+", ""), created);
            options.addAll(mount.source() == null ? List.of("--tmpfs", mount.target())
                    : List.of(mount.writable() ? "--bind" : "--ro-bind", mount.source().toString(), mount.target()));
        }
        options.addAll(List.of("--chdir", step.workingDirectory()));
        try {
            return Launcher.run(privateDirectory.resolve("bwrap.args"), options, step.environment(), step.command(),
                    new Launcher.Start(true, true));
        } finally {
            for (Path path : created.reversed()) {
                removeIfEmpty(path);
            }
        }
    }

    /** Notes each component of {@code relative} that bwrap will have to create, outermost first. */
    private static void mountPoint(Path tree, String relative, List<Path> created) {
        Path path = tree;
        for (Path name : Path.of(relative)) {
            path = path.resolve(name.toString());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !created.contains(path)) {
                created.add(path);
            }
        }
    }

    private static void removeIfEmpty(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.list(path)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) > 0) {
            return;
        }
        Files.deleteIfExists(path);
    }
}
