package dev.berth.registry.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Writes to a file and, every few tens of MiB, starts an fsync on a virtual thread while the
 * writes go on. A large upload then reaches its final fsync with little left to flush, instead
 * of the disk doing all of it while the client waits.
 */
final class EarlyWriteback implements DurableAppend {
    private static final long STRIDE = 32L << 20;

    private final FileChannel file;
    private final Consumer<ByteBuffer> tap;
    private long unsynced;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    /** {@code tap} sees each byte once it is written, on the writing thread. */
    EarlyWriteback(FileChannel file, Consumer<ByteBuffer> tap) {
        this.file = file;
        this.tap = tap;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ByteBuffer view = source.duplicate();
        int written = file.write(source);
        tap.accept(view.limit(view.position() + written));
        unsynced += written;
        if (unsynced >= STRIDE && inFlight.isDone()) {
            unsynced = 0;
            inFlight = CompletableFuture.runAsync(this::force, command -> Thread.ofVirtual().start(command));
        }
        return written;
    }

    private void force() {
        try {
            file.force(false);
        } catch (IOException e) {
            // the final force in finish() reports what matters
        }
    }

    /** Waits for a background flush, then makes everything written durable. */
    @Override
    public void finish() throws IOException {
        await();
        file.force(false);
    }

    private void await() throws IOException {
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing an upload");
        } catch (ExecutionException e) {
            throw new IOException("flushing an upload failed", e.getCause());
        }
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    /** Never leaves a flush running on a channel its owner is about to close. */
    @Override
    public void close() throws IOException {
        await();
    }
}
