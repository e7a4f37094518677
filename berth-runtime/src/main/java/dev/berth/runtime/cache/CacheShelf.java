package dev.berth.runtime.cache;

import dev.berth.oci.ScratchDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A directory of cache entries (converted images, prepared trees, build steps) that can be
 * listed, sized and removed while other berth processes use it. Each entry may have a marker
 * beside it, {@code NAME.used}: its modification time is the entry's last use, and a process
 * using the entry holds a shared lock on it, so that removal, which needs the exclusive lock,
 * never pulls a tree out from under a running container. A process that uses the entry after
 * berth's JVM has ended (bin/berth running a container) is named by a file beside it instead,
 * {@code NAME.held-by-PID}, and keeps it while that process lives. Removal renames the entry
 * into a scratch directory first, so no reader ever sees half an entry.
 */
public final class CacheShelf {
    static final String MARKER_SUFFIX = ".used";
    private static final String HELD_BY = ".held-by-";

    private final Path directory;
    private final Predicate<String> entryNames;

    /** @param entryNames which names in the directory are entries (the rest are markers, locks and scratch) */
    public CacheShelf(Path directory, Predicate<String> entryNames) {
        this.directory = directory;
        this.entryNames = entryNames;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Every entry with its size and last use, in name order; none when the directory does not
     * exist yet. An entry's companions ({@code NAME.sha256}, {@code NAME.lock}, its marker) are
     * part of it: counted in its size and removed with it.
     */
    public List<CachedEntry> entries() throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            listing.forEach(children::add);
        } catch (NoSuchFileException nothingYet) {
            return List.of();
        }
        List<CachedEntry> entries = new ArrayList<>();
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (!entryNames.test(name)) {
                continue;
            }
            try {
                long size = sizeOf(child);
                for (Path companion : companions(child, children)) {
                    size += sizeOf(companion);
                }
                entries.add(new CachedEntry(child, name, size, lastUse(child)));
            } catch (NoSuchFileException removedMeanwhile) {
                // another prune was faster
            }
        }
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return entries;
    }

    private static List<Path> companions(Path entry, List<Path> children) {
        String prefix = entry.getFileName() + ".";
        return children.stream().filter(child -> child.getFileName().toString().startsWith(prefix)).toList();
    }

    /**
     * Marks the entry as used now and keeps it from removal until the returned use is closed.
     * The lock lives as long as this process, or the program it hands the lock to.
     */
    public static Use use(Path entry) throws IOException {
        Path marker = markerOf(entry);
        FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS);
        try {
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
            return new Use(entry, channel, channel.lock(0, Long.MAX_VALUE, true));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A use of an entry, which keeps it from removal. */
    public record Use(Path entry, FileChannel channel, FileLock lock) implements AutoCloseable {
        /**
         * Passes this use on to the process {@code pid}, which outlives this one: the entry is kept
         * while that process lives. Returns the file that says so, for that process to delete when done.
         */
        public Path handOver(long pid) throws IOException {
            Path held = entry.resolveSibling(entry.getFileName() + HELD_BY + pid);
            if (!Files.exists(held, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(held);
            }
            close();
            return held;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Removes the entry unless a process is using it; returns whether it was removed. */
    public boolean remove(CachedEntry entry) throws IOException {
        Path marker = markerOf(entry.path());
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException thisProcessUsesIt) {
                return false;
            }
            if (lock == null || heldByALiveProcess(entry.path())) {
                return false;
            }
            try (ScratchDirectory scratch = ScratchDirectory.create(directory, "removed")) {
                Files.move(entry.path(), scratch.path().resolve("entry"), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException alreadyGone) {
                return false;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
                listing.forEach(children::add);
            }
            for (Path companion : companions(entry.path(), children)) {
                if (!companion.equals(marker)) {
                    Files.deleteIfExists(companion);
                }
            }
            Files.deleteIfExists(marker);
            return true;
        }
    }

    private static boolean heldByALiveProcess(Path entry) throws IOException {
        String prefix = entry.getFileName() + HELD_BY;
        try (DirectoryStream<Path> held = Files.newDirectoryStream(entry.getParent(),
                file -> file.getFileName().toString().startsWith(prefix))) {
            for (Path file : held) {
                String pid = file.getFileName().toString().substring(prefix.length());
                if (pid.matches("\\d{1,18}") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path markerOf(Path entry) {
        return entry.resolveSibling(entry.getFileName() + MARKER_SUFFIX);
    }

    private static Instant lastUse(Path entry) throws IOException {
        Path marker = markerOf(entry);
        Path dated = Files.exists(marker, LinkOption.NOFOLLOW_LINKS) ? marker : entry;
        return Files.getLastModifiedTime(dated, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    private static long sizeOf(Path entry) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            return attributes.isRegularFile() ? attributes.size() : 0;
        }
        try (Stream<Path> files = Files.walk(entry)) {
            return files.mapToLong(file -> {
                try {
                    BasicFileAttributes each = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return each.isRegularFile() ? each.size() : 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
