package dev.berth.runtime;

import dev.berth.oci.PrivateDirectory;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One run's private scratch directory: its mount points, generated /etc files and overlay
 * layers. Named after the berth process, so a later run can tell a killed run's leftovers
 * (its process is gone) and unmount and delete them.
 */
public final class RunDirectory implements AutoCloseable {
    private final Path directory;
    private final Deque<Path> mounts = new ArrayDeque<>();
    private final Deque<CacheShelf.Use> cacheUses = new ArrayDeque<>();
    private boolean handedOver;

    private RunDirectory(Path directory) {
        this.directory = directory;
    }

    /** $XDG_RUNTIME_DIR/berth/runs when there is one (a tmpfs), else /tmp/berth-UID/runs. */
    public static Path base(Map<String, String> environment, Caller caller) {
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime)) && Files.isWritable(Path.of(runtime))) {
            return Path.of(runtime, "berth", "runs");
        }
        return Path.of("/tmp", "berth-" + caller.uid(), "runs");
    }

    /**
     * A new run directory in {@code base} for the process {@code owner} (this one, or the
     * launcher the run is handed over to), after removing what killed runs left there. Every
     * component berth creates is checked with lstat, since /tmp/berth-UID lies in a directory
     * where any user may create names.
     */
    public static RunDirectory create(Path base, Caller caller, long owner) throws IOException {
        PrivateDirectory.create(base.getParent(), caller.uid());
        PrivateDirectory.create(base, caller.uid());
        cleanStale(base);
        Path directory = base.resolve(owner + "-" + UUID.randomUUID().toString().substring(0, 8));
        PrivateDirectory.create(directory, caller.uid());
        return new RunDirectory(directory);
    }

    public Path path() {
        return directory;
    }

    /** A new empty directory inside the run directory. */
    public Path newDirectory(String name) throws IOException {
        return Files.createDirectory(directory.resolve(name));
    }

    public Path writeFile(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Runs a FUSE mount command for {@code mountPoint}; it is unmounted when the run ends. */
    public void mount(List<String> command, Path mountPoint, String what) throws IOException {
        ToolRunner.run(command, what);
        mounts.push(mountPoint);
    }

    /** Keeps a cache entry the run reads from removal until the run ends. */
    public void hold(CacheShelf.Use use) {
        cacheUses.push(use);
    }

    /** The cache entries the run holds. */
    public List<Path> heldEntries() {
        return cacheUses.stream().map(CacheShelf.Use::entry).toList();
    }

    /**
     * Gives the run's clean-up to its owner, which outlives this JVM: the returned commands
     * unmount and delete what {@link #close} would have, and the cache entries the run holds are
     * held for the owner from now on. Closing this object then leaves everything in place.
     */
    public List<List<String>> handOver(long owner) throws IOException {
        List<List<String>> cleanUp = new ArrayList<>();
        while (!mounts.isEmpty()) {
            cleanUp.add(unmountCommand(mounts.pop()));
        }
        List<String> delete = new ArrayList<>(List.of("rm", "-rf", "--"));
        while (!cacheUses.isEmpty()) {
            delete.add(cacheUses.pop().handOver(owner).toString());
        }
        delete.add(directory.toString());
        // an overlay's upper layer may hold directories the container made unwritable
        cleanUp.add(List.of("chmod", "-R", "u+w", "--", directory.toString()));
        cleanUp.add(delete);
        handedOver = true;
        return cleanUp;
    }

    @Override
    public void close() throws IOException {
        if (handedOver) {
            return;
        }
        while (!mounts.isEmpty()) {
            unmount(mounts.pop());
        }
        while (!cacheUses.isEmpty()) {
            cacheUses.pop().close();
        }
        deleteTree(directory);
    }

    /** Unmounts and deletes the directories of runs whose berth process no longer exists. */
    static void cleanStale(Path base) throws IOException {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(base)) {
            for (Path run : runs) {
                if (!isAlive(run.getFileName().toString())) {
                    List<Path> stale = mountsUnder(run);
                    stale.sort(Comparator.comparing(Path::getNameCount).reversed());
                    for (Path mountPoint : stale) {
                        unmount(mountPoint);
                    }
                    deleteTree(run);
                }
            }
        }
    }

    /** A directory that is not a run's (its name does not start with a pid) counts as alive: it is not ours to remove. */
    private static boolean isAlive(String runName) {
        OptionalLong pid = pidOf(runName);
        return pid.isEmpty() || processLives(pid.getAsLong());
    }

    /** The berth process a run directory is named after ({@code PID-ID}), if the name is a run's. */
    static OptionalLong pidOf(String runName) {
        int dash = runName.indexOf('-');
        try {
            return OptionalLong.of(Long.parseLong(dash < 0 ? runName : runName.substring(0, dash)));
        } catch (NumberFormatException notARun) {
            return OptionalLong.empty();
        }
    }

    static boolean processLives(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<Path> mountsUnder(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        String prefix = dir.toString() + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String mountPoint = unescape(fields[4]);
                if (mountPoint.startsWith(prefix)) {
                    found.add(Path.of(mountPoint));
                }
            }
        }
        return found;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                result.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

    private static void unmount(Path mountPoint) throws IOException {
        ToolRunner.run(unmountCommand(mountPoint), "unmounting " + mountPoint);
    }

    private static List<String> unmountCommand(Path mountPoint) {
        // -z: a process that still holds the mount (a killed run's orphan) must not keep the directory alive
        return List.of(Tools.FUSERMOUNT.require(), "-u", "-z", mountPoint.toString());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(path)) {
                path.toFile().setWritable(true, true);
            }
            Files.deleteIfExists(path);
        }
    }
}
