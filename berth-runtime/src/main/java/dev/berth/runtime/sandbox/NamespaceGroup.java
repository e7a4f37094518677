package dev.berth.runtime.sandbox;

import dev.berth.oci.PrivateDirectory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The containers that share one user namespace (--sharens): those whose launchers have the same
 * parent process, as Apptainer groups them; on a node that is every rank that srun's slurmstepd
 * or mpirun starts. A group is a directory in berth's private state, named by the parent's pid and
 * start time (a reused pid makes another group), holding a lock and an empty file per member named
 * by its sandbox's pid: the first member's sandbox makes the namespace, the others join it
 * ({@link Launcher}). Groups whose parent has ended are removed by the next one made.
 */
public final class NamespaceGroup {
    private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)");

    private NamespaceGroup() {
    }

    /** The group directory of the containers started by the parent of process {@code launcher}, in {@code state}. */
    public static Path of(Path state, long launcher, long uid) throws IOException {
        ProcessHandle parent = ProcessHandle.of(launcher).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IOException("--sharens: the parent of process " + launcher + " has ended"));
        Path groups = PrivateDirectory.create(state.resolve("namespaces"), uid);
        removeEnded(groups);
        return PrivateDirectory.create(groups.resolve(parent.pid() + "-" + startMillis(parent)), uid);
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static void removeEnded(Path groups) throws IOException {
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(groups)) {
            for (Path group : listing) {
                Matcher name = NAME.matcher(group.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(name.group(1)));
                if (parent.isEmpty() || startMillis(parent.get()) != Long.parseLong(name.group(2))) {
                    removeGroup(group);
                }
            }
        }
    }

    /** A group holds files only: its lock and its members. */
    private static void removeGroup(Path group) throws IOException {
        try (Stream<Path> files = Files.list(group)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(group);
    }
}
