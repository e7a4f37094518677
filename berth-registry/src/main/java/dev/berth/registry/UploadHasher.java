package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The running hash of an upload, fed while chunks are written so closing the upload does not read
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

    /** Wraps the upload's channel so every byte written is hashed. */
    WritableByteChannel hashing(WritableByteChannel target) {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer source) throws IOException {
                ByteBuffer view = source.duplicate();
                int written = target.write(source);
                view.limit(view.position() + written);
                messageDigest.update(view);
                position += written;
                return written;
            }

            @Override
            public boolean isOpen() {
                return target.isOpen();
            }

            @Override
            public void close() {
                // the storage owns the channel
            }
        };
    }

    Digest digest() {
        return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
    }
}
