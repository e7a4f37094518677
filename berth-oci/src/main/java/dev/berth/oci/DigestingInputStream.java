package dev.berth.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes and counts the bytes that pass through it, so content can be verified while it streams
 * instead of being read twice.
 */
public final class DigestingInputStream extends FilterInputStream {
    private final DigestAlgorithm algorithm;
    private final MessageDigest messageDigest;
    private long count;

    public DigestingInputStream(InputStream in, DigestAlgorithm algorithm) {
        super(in);
        this.algorithm = algorithm;
        this.messageDigest = algorithm.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            messageDigest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            messageDigest.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes out of the hash: read them instead.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** The digest of the bytes read so far; call once, after the stream is exhausted. */
    public Digest digest() {
        return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
    }

    /**
     * Reads the rest of the stream and checks that everything read matches the expected digest
     * and size (size -1 skips the size check).
     */
    public void drainAndVerify(String what, Digest expected, long expectedSize) throws IOException {
        transferTo(OutputStream.nullOutputStream());
        Digest actual = digest();
        if (expectedSize >= 0 && count != expectedSize) {
            throw new DigestMismatchException(what, expected, expectedSize, count);
        }
        if (!actual.equals(expected)) {
            throw new DigestMismatchException(what, expected, actual);
        }
    }
}
