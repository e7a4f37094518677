package dev.berth.distribution.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body as HTTP/1.1 frames it: a known length, chunks, or everything until the server
 * closes. Reading it to its end gives the connection back; closing it before the end closes the
 * connection, since the rest of the body would still be in the way of the next response.
 */
abstract sealed class Body extends InputStream {
    final Connection connection;
    final InputStream in;
    private boolean ended;

    private Body(Connection connection) {
        this.connection = connection;
        this.in = connection.input();
    }

    static Body empty(Connection connection) {
        return new Fixed(connection, 0);
    }

    static Body ofLength(Connection connection, long length) {
        return new Fixed(connection, length);
    }

    static Body chunked(Connection connection) {
        return new Chunked(connection);
    }

    static Body untilClose(Connection connection) {
        return new UntilClose(connection);
    }

    /** The body was read to its end: the connection may serve the next request. */
    final void end() {
        if (!ended) {
            ended = true;
            connection.bodyEnded();
        }
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final void close() {
        if (!ended) {
            if (skippedBufferedRest()) {
                end();
            } else {
                ended = true;
                connection.close();
            }
        }
    }

    /**
     * Skips the rest of the body if it has already arrived, and says whether it did, so that a
     * response closed unread (a ping, an error) still leaves its connection usable: for TLS that
     * spares a handshake.
     */
    boolean skippedBufferedRest() {
        return false;
    }

    final EOFException cut(String detail) {
        return new EOFException(connection.origin() + " closed the connection " + detail);
    }

    private static final class Fixed extends Body {
        private final long length;
        private long remaining;

        Fixed(Connection connection, long length) {
            super(connection);
            this.length = length;
            this.remaining = length;
            if (length == 0) {
                end();
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (count == 0) {
                return 0;
            }
            int n = in.read(buffer, offset, (int) Math.min(count, remaining));
            if (n < 0) {
                throw cut("after " + (length - remaining) + " of " + length + " bytes of the response");
            }
            remaining -= n;
            if (remaining == 0) {
                end();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return remaining == 0 ? 0 : (int) Math.min(in.available(), remaining);
        }

        @Override
        boolean skippedBufferedRest() {
            try {
                if (remaining > in.available()) {
                    return false;
                }
                in.skipNBytes(remaining);
                remaining = 0;
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static final class Chunked extends Body {
        private long chunkRemaining;
        private boolean firstChunk = true;
        private boolean last;

        Chunked(Connection connection) {
            super(connection);
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (last) {
                return -1;
            }
            if (count == 0) {
                return 0;
            }
            if (chunkRemaining == 0) {
                if (!firstChunk && !connection.readLine().isEmpty()) {
                    throw new IOException(connection.origin() + " sent a chunk longer than it announced");
                }
                firstChunk = false;
                chunkRemaining = chunkSize(connection.readLine());
                if (chunkRemaining == 0) {
                    while (!connection.readLine().isEmpty()) {
                        // trailer fields: nothing a registry client needs
                    }
                    last = true;
                    end();
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(count, chunkRemaining));
            if (n < 0) {
                throw cut("in the middle of a chunk of the response");
            }
            chunkRemaining -= n;
            return n;
        }

        private long chunkSize(String line) throws IOException {
            int end = line.indexOf(';'); // chunk extensions are ignored, as RFC 9112 allows
            String hex = (end < 0 ? line : line.substring(0, end)).trim();
            if (hex.isEmpty() || hex.length() > 15) {
                throw invalidChunkSize();
            }
            long size = 0;
            for (int i = 0; i < hex.length(); i++) {
                int digit = Character.digit(hex.charAt(i), 16);
                if (digit < 0) {
                    throw invalidChunkSize();
                }
                size = size * 16 + digit;
            }
            return size;
        }

        private IOException invalidChunkSize() {
            return new IOException(connection.origin() + " sent an invalid chunk size");
        }
    }

    private static final class UntilClose extends Body {
        UntilClose(Connection connection) {
            super(connection);
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            int n = in.read(buffer, offset, count);
            if (n < 0) {
                end();
            }
            return n;
        }
    }
}
