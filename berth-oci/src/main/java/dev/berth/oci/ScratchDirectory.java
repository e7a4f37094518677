package dev.berth.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A directory for one writer's unfinished work, {@code .tmp-STEM-RANDOM}, that a later berth can
 * remove when the writer was killed. Beside it the writer holds an OS lock on
 * {@code .tmp-STEM-RANDOM.lock} for as long as it lives; the kernel drops the lock when the
 * process dies however it dies, so a lock that can be taken marks the directory as abandoned.
 * A pid in the name would not do: pids are reused, and a live stranger's pid would keep the
 * leftover forever.
 */
public final class ScratchDirectory implements AutoCloseable {
    private static final String PREFIX = ".tmp-";
    private static final String LOCK_SUFFIX = ".lock";
    private static final Pattern LOCK_NAME = Pattern.compile(Pattern.quote(PREFIX) + ".*-[0-9a-f]{32}" + Pattern.quote(LOCK_SUFFIX));
    private static final int CLAIM_ATTEMPTS = 5;
    /** An orphaned tool (rdsquashfs) may still be writing into a leftover while it is removed. */
    private static final int REMOVAL_PASSES = 10;
    /**
     * Lock files this process holds. POSIX locks belong to the process, and closing any channel to
     * a locked file drops them, so a sweep must never open one of its own process's lock files.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private ScratchDirectory(Path path, Path lockFile, FileChannel lockChannel) {
        this.path = path;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /** Creates a new scratch directory in {@code parent}, readable only by its owner, after taking its lock. */
    public static ScratchDirectory create(Path parent, String stem) throws IOException {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Path path = parent.toAbsolutePath().resolve(PREFIX + stem + "-" + AtomicFiles.uniqueSuffix());
            Path lockFile = lockFileOf(path);
            HELD.add(lockFile);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                // A sweep may have taken the lock, or removed the file, between its creation and now.
                if (channel.tryLock() != null && Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(path, PrivateDirectory.OWNER_ONLY);
                    return new ScratchDirectory(path, lockFile, channel);
                }
            } catch (IOException | RuntimeException e) {
                release(lockFile, channel);
                throw e;
            }
            channel.close();
            HELD.remove(lockFile);
        }
        throw new IOException("could not claim a scratch directory in " + parent + " after " + CLAIM_ATTEMPTS + " attempts");
    }

    public Path path() {
        return path;
    }

    /** Removes the directory and everything in it, then gives up the claim. */
    @Override
    public void close() throws IOException {
        try {
            deleteTree(path);
            Files.deleteIfExists(lockFile);
        } finally {
            release(lockFile, lockChannel);
        }
    }

    /**
     * Removes the scratch directories in {@code parent} whose writers have died. A leftover that
     * cannot be removed now is left for a later run rather than failing this one.
     */
    public static void removeAbandoned(Path parent) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent.toAbsolutePath(),
                entry -> LOCK_NAME.matcher(entry.getFileName().toString()).matches())) {
            for (Path lockFile : entries) {
                if (!HELD.contains(lockFile)) {
                    removeIfAbandoned(lockFile);
                }
            }
        } catch (NoSuchFileException nothingYet) {
            // no directory, no leftovers
        }
    }

    private static void removeIfAbandoned(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return;
            }
            Path path = Path.of(lockFile.toString().substring(0, lockFile.toString().length() - LOCK_SUFFIX.length()));
            deleteTree(path);
            Files.deleteIfExists(lockFile);
        } catch (IOException | OverlappingFileLockException stillInUseOrGone) {
            // another sweep has it, its writer is alive, or someone else removed it first
        }
    }

    private static Path lockFileOf(Path path) {
        return path.resolveSibling(path.getFileName() + LOCK_SUFFIX);
    }

    private static void release(Path lockFile, FileChannel channel) throws IOException {
        try {
            channel.close();
        } finally {
            HELD.remove(lockFile);
        }
    }

    /**
     * Deletes {@code root} and everything below it, making directories writable on the way down
     * (images hold read-only ones); several passes because an orphaned writer may add entries meanwhile.
     */
    static void deleteTree(Path root) throws IOException {
        IOException last = null;
        for (int pass = 0; pass < REMOVAL_PASSES && Files.exists(root, LinkOption.NOFOLLOW_LINKS); pass++) {
            try {
                Files.walkFileTree(root, new TreeRemover());
                return;
            } catch (NoSuchFileException vanished) {
                last = vanished;
            } catch (IOException notYet) {
                last = notYet;
            }
        }
        if (last != null && Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            throw last;
        }
    }

    private static final class TreeRemover extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(true, true);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        /** A directory the walk cannot list is opened up and removed on its own. */
        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            if (e instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    && file.toFile().setReadable(true, true) && file.toFile().setExecutable(true, true)) {
                Files.walkFileTree(file, this);
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
        }
    }
}
