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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Appends to an upload with O_DIRECT: bytes gather in an aligned buffer, and each full buffer goes
 * to the disk, and to the tap (the upload's running hash), on threads of their own while the next
 * one fills. The request thread is left with reading the socket and one copy. Nothing passes
 * through the page cache, so the kernel neither fills it nor writes it back (a fifth of a push's
 * CPU time on a 2-core machine), and the fsync that acknowledges the upload has no dirty pages to
 * wait for.
 * <p>
 * O_DIRECT takes whole blocks only. An append that starts inside a block reads that block's stored
 * bytes back into the buffer and writes them again; a partial last block goes through the
 * ordinary channel.
 */
final class DirectAppender implements DurableAppend {
    private static final int ALIGNMENT = 4096;
    private static final int BUFFER = 4 << 20;
    /** Full buffers in flight at most: one being hashed, one being written, one waiting. */
    private static final int BUFFERS = 3;
    /**
     * Platform threads, not virtual ones: hashing a buffer keeps a thread on the CPU for
     * milliseconds, and an O_DIRECT write blocks in the kernel, so on virtual threads either would
     * hold one of the few carriers that the request threads wait for. Measured on a 2-core machine,
     * a 256 MiB PATCH took 5-7% less time this way.
     */
    private static final Executor BACKGROUND =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("berth-upload-", 0).daemon(true).factory());
    /** Buffers kept for the next appends, so a small upload does not allocate 4 MiB of native memory. */
    private static final int POOLED = 4;
    private static final Queue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();

    private final FileChannel cached;
    private final FileChannel direct;
    private final int block;
    private final Consumer<ByteBuffer> tap;
    private ByteBuffer filling;
    /** Where {@code filling}'s first byte goes in the file. */
    private long fillingAt;
    /** Where the appended bytes start in {@code filling}: before it, bytes read back from the file. */
    private int freshFrom;
    /** Full buffers on their way to the disk and the tap, oldest first; each completes with its buffer. */
    private final Deque<CompletableFuture<ByteBuffer>> inFlight = new ArrayDeque<>();
    private CompletableFuture<Void> lastTapped = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> lastWritten = CompletableFuture.completedFuture(null);

    /**
     * Appends to {@code file}, whose first {@code start} bytes are kept; {@code cached} is open on it
     * for reading and writing. {@code tap} sees the appended bytes in order, on another thread.
     */
    DirectAppender(Path file, FileChannel cached, long start, Consumer<ByteBuffer> tap) throws IOException {
        this.cached = cached;
        this.tap = tap;
        this.block = blockSize(file);
        this.direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        this.filling = acquire();
        this.fillingAt = start - start % block;
        this.freshFrom = (int) (start - fillingAt);
        readBack(freshFrom);
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
            // the file system refuses O_DIRECT (tmpfs answers EINVAL): uploads there use buffered writes
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

    /**
     * Sends the full buffer to the tap and to the disk, each in order on a thread of their own, and
     * carries on in a free buffer, waiting for the oldest in flight when all are taken.
     */
    private void writeFilling() throws IOException {
        ByteBuffer full = filling.flip();
        long at = fillingAt;
        ByteBuffer fresh = full.slice(freshFrom, full.limit() - freshFrom);
        lastTapped = lastTapped.thenRunAsync(() -> tap.accept(fresh), BACKGROUND);
        lastWritten = lastWritten.thenRunAsync(() -> {
            try {
                writeFully(direct, full.duplicate(), at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, BACKGROUND);
        inFlight.add(lastTapped.thenCombine(lastWritten, (tapped, written) -> full));
        filling = inFlight.size() < BUFFERS ? acquire() : awaitOldest().clear();
        fillingAt += full.limit();
        freshFrom = 0;
    }

    /** Writes all of {@code bytes}, whose position is 0, at {@code at} in the file. */
    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes, at + bytes.position());
        }
    }

    private ByteBuffer awaitOldest() throws IOException {
        try {
            return inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing an upload");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
            throw new IOException("writing an upload failed: " + cause.getMessage(), cause);
        }
    }

    private void awaitAll() throws IOException {
        while (!inFlight.isEmpty()) {
            release(awaitOldest());
        }
    }

    @Override
    public void finish() throws IOException {
        awaitAll();
        filling.flip();
        tap.accept(filling.slice(freshFrom, filling.limit() - freshFrom));
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
            awaitAll();
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
