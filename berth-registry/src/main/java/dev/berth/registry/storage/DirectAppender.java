package dev.berth.registry.storage;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Appends to an upload with O_DIRECT: bytes gather in an aligned buffer, and each full buffer goes
 * to the disk on a virtual thread while the next one fills. Nothing passes through the page cache,
 * so the kernel neither fills it nor writes it back (a fifth of a push's CPU time on a small
 * machine), and the fsync that acknowledges the upload has no dirty pages left to wait for.
 * <p>
 * O_DIRECT takes whole blocks only. An append that starts inside a block reads that block's stored
 * bytes back into the buffer and writes them again; a partial last block goes through the
 * ordinary channel.
 */
final class DirectAppender implements DurableAppend {
    private static final int ALIGNMENT = 4096;
    private static final int BUFFER = 4 << 20;
    /** Buffers kept for the next appends, so a small upload does not allocate 4 MiB of native memory. */
    private static final int POOLED = 4;
    private static final Queue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();

    private final FileChannel cached;
    private final FileChannel direct;
    private final int block;
    private ByteBuffer filling;
    /** Where {@code filling}'s first byte goes in the file. */
    private long fillingAt;
    /** The write in flight, done with the buffer it wrote (null before the first). */
    private CompletableFuture<ByteBuffer> inFlight = CompletableFuture.completedFuture(null);

    /** Appends to {@code file}, whose first {@code start} bytes are kept; {@code cached} is open on it for reading and writing. */
    DirectAppender(Path file, FileChannel cached, long start) throws IOException {
        this.cached = cached;
        this.block = blockSize(file);
        this.direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        this.filling = acquire();
        this.fillingAt = start - start % block;
        readBack((int) (start - fillingAt));
    }

    /** True when uploads in {@code directory} can be written this way (not on tmpfs, for one). */
    static boolean supportedIn(Path directory) {
        Path probe = directory.resolve(".direct-probe");
        try {
            int block = blockSize(directory);
            if (block > ALIGNMENT || ALIGNMENT % block != 0) {
                return false;
            }
            try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                return true;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static int blockSize(Path path) throws IOException {
        return Math.toIntExact(Files.getFileStore(path).getBlockSize());
    }

    private void readBack(int length) throws IOException {
        filling.limit(length);
        while (filling.hasRemaining()) {
            if (cached.read(filling, fillingAt + filling.position()) < 0) {
                throw new EOFException("an upload is shorter than its recorded size");
            }
        }
        filling.limit(filling.capacity());
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int length = source.remaining();
        while (source.hasRemaining()) {
            int n = Math.min(source.remaining(), filling.remaining());
            filling.put(filling.position(), source, source.position(), n);
            filling.position(filling.position() + n);
            source.position(source.position() + n);
            if (!filling.hasRemaining()) {
                writeFilling();
            }
        }
        return length;
    }

    /** Starts writing the full buffer and carries on in the one the previous write has finished with. */
    private void writeFilling() throws IOException {
        ByteBuffer full = filling.flip();
        long at = fillingAt;
        ByteBuffer free = awaitWrite();
        filling = free != null ? free.clear() : acquire();
        fillingAt += full.remaining();
        inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                writeFully(direct, full, at);
                return full;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().name("berth-upload-write").start(command));
    }

    /** Writes all of {@code bytes}, whose position is 0, at {@code at} in the file. */
    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes, at + bytes.position());
        }
    }

    private ByteBuffer awaitWrite() throws IOException {
        try {
            return inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing an upload");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
            throw new IOException("writing an upload failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void finish() throws IOException {
        ByteBuffer written = awaitWrite();
        if (written != null) {
            release(written);
            inFlight = CompletableFuture.completedFuture(null);
        }
        filling.flip();
        int wholeBlocks = filling.remaining() - filling.remaining() % block;
        writeFully(direct, filling.slice(0, wholeBlocks), fillingAt);
        writeFully(cached, filling.slice(wholeBlocks, filling.remaining() - wholeBlocks), fillingAt + wholeBlocks);
        filling.clear();
        // The file's new size, and the device's own cache, still need flushing.
        cached.force(false);
    }

    @Override
    public boolean isOpen() {
        return direct.isOpen();
    }

    /** Never leaves a write running on a file its owner is about to close or truncate. */
    @Override
    public void close() throws IOException {
        try {
            ByteBuffer written = awaitWrite();
            if (written != null) {
                release(written);
            }
        } finally {
            release(filling);
            direct.close();
        }
    }

    private static ByteBuffer acquire() {
        ByteBuffer pooled = POOL.poll();
        return pooled != null ? pooled.clear() : ByteBuffer.allocateDirect(BUFFER + ALIGNMENT).alignedSlice(ALIGNMENT);
    }

    private static void release(ByteBuffer buffer) {
        if (POOL.size() < POOLED) {
            POOL.offer(buffer);
        }
    }
}
