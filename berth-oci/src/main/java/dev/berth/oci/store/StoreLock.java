package dev.berth.oci.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A readers-writer lock shared by every berth process and thread that opens the same store: an
 * OS file lock between processes, a JVM lock between threads (the OS lock alone cannot be held
 * twice by one process).
 */
final class StoreLock {
    private static final Map<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    private FileChannel channel;
    private FileLock fileLock;
    private int sharedHolders;

    private StoreLock(Path file) {
        this.file = file;
    }

    static StoreLock forFile(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** Held while work that adds content is under way; several may hold it at once. */
    Held shared() throws IOException {
        threads.readLock().lock();
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    fileLock = channel().lock(0, Long.MAX_VALUE, true);
                }
                sharedHolders++;
            }
        } catch (IOException | RuntimeException e) {
            threads.readLock().unlock();
            throw e;
        }
        return () -> {
            synchronized (this) {
                if (--sharedHolders == 0) {
                    releaseFileLock();
                }
            }
            threads.readLock().unlock();
        };
    }

    /** Held alone, by work that must see no other writer, such as prune. */
    Held exclusive() throws IOException {
        threads.writeLock().lock();
        try {
            synchronized (this) {
                fileLock = channel().lock(0, Long.MAX_VALUE, false);
            }
        } catch (IOException | RuntimeException e) {
            threads.writeLock().unlock();
            throw e;
        }
        return () -> {
            synchronized (this) {
                releaseFileLock();
            }
            threads.writeLock().unlock();
        };
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    private void releaseFileLock() throws IOException {
        if (fileLock != null) {
            fileLock.release();
            fileLock = null;
        }
    }

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
