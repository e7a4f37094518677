package dev.berth.registry.http;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/** Sends a byte range of a stored blob as a response body, blocking the calling virtual thread. */
final class BlobStreams {
    private static final int BUFFER = 256 * 1024;
    private static final long MAP_THRESHOLD = 4L << 20;
    private static final long MAP_WINDOW = 4L << 20;

    private BlobStreams() {
    }

    static void send(Request request, Response response, SeekableByteChannel channel, long start, long length)
            throws IOException {
        if (channel instanceof FileChannel file && length >= MAP_THRESHOLD) {
            sendMapped(response, file, start, length);
            return;
        }
        ByteBufferPool pool = request.getComponents().getByteBufferPool();
        RetainableByteBuffer pooled = pool.acquire((int) Math.min(BUFFER, length), true);
        try {
            ByteBuffer buffer = pooled.getByteBuffer();
            long position = start;
            long remaining = length;
            while (remaining > 0) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), remaining));
                int n = channel instanceof FileChannel file ? file.read(buffer, position) : channel.position(position).read(buffer);
                if (n < 0) {
                    throw new EOFException("blob ended early");
                }
                buffer.flip();
                position += n;
                remaining -= n;
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(remaining == 0, buffer, written);
                    written.block();
                }
            }
        } finally {
            pooled.release();
        }
    }

    /**
     * Large blobs go out of mapped windows of the file: the kernel copies from the page cache to
     * the socket, with no read into a buffer first. Each window is unmapped as soon as it is sent.
     */
    private static void sendMapped(Response response, FileChannel file, long start, long length) throws IOException {
        long position = start;
        long remaining = length;
        while (remaining > 0) {
            long window = Math.min(MAP_WINDOW, remaining);
            try (Arena arena = Arena.ofShared()) {
                ByteBuffer mapped = file.map(FileChannel.MapMode.READ_ONLY, position, window, arena).asByteBuffer();
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(remaining == window, mapped, written);
                    written.block();
                }
            }
            position += window;
            remaining -= window;
        }
    }
}
