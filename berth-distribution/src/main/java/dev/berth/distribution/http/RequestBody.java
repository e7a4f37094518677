package dev.berth.distribution.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A request body of known length that can be sent again (on a new connection when a kept-alive
 * one went stale, after a 401 challenge, on a retry): bytes in memory, or a stream opened anew
 * for each sending, so that a blob of any size goes out without being held in memory.
 */
public interface RequestBody {
    long length();

    void writeTo(OutputStream out) throws IOException;

    /** Opens the content to send; each call starts from its first byte. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    static RequestBody of(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }

    /** {@code length} bytes from {@code source}; one that ends sooner fails the request rather than sending less than announced. */
    static RequestBody streamed(long length, Source source) {
        return new RequestBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                byte[] buffer = new byte[1 << 16];
                long left = length;
                try (InputStream in = source.open()) {
                    while (left > 0) {
                        int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (read < 0) {
                            throw new IOException("the content ended " + left + " bytes short of the " + length + " announced");
                        }
                        out.write(buffer, 0, read);
                        left -= read;
                    }
                }
            }
        };
    }
}
