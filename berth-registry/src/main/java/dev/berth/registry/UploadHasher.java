package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The running hash of an upload, fed as chunks are stored so closing the upload does not read
 * the bytes again. It lives only in memory: after a restart, or a failed chunk, the upload is hashed
 * from its stored bytes instead.
 */
final class UploadHasher {
    private final DigestAlgorithm algorithm;
    private final MessageDigest messageDigest;
    private long position;

    UploadHasher(DigestAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.messageDigest = algorithm.newMessageDigest();
    }

    DigestAlgorithm algorithm() {
        return algorithm;
    }

    long position() {
        return position;
    }

    /** Takes the next bytes of the upload; called by one thread at a time, in order. */
    void update(ByteBuffer bytes) {
        position += bytes.remaining();
        messageDigest.update(bytes);
    }

    Digest digest() {
        return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
    }
}
