package dev.berth.oci.store;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestMismatchException;
import dev.berth.oci.transfer.BlobOpener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Blobs on their way into the store, kept under {@code partial/} as they arrive: a pull that was
 * cut short (lost network, Ctrl-C, a killed process) leaves the bytes it had there, and the next
 * pull of the same blob asks its source for the rest only. A partial file is written by one
 * process at a time (a lock on the file, which dies with its holder); what no pull finishes is
 * removed by a prune.
 */
final class PartialBlobs {
    private static final int COPY_CHUNK = 256 * 1024;

    private final Path directory;

    PartialBlobs(Path directory) {
        this.directory = directory;
    }

    /**
     * Writes {@code blob} to {@code target}, verified, resuming from what an earlier attempt left.
     * Returns false, writing nothing, when another process is writing the same blob right now.
     * On a failure the bytes that arrived stay for the next attempt, unless they cannot be the
     * blob's (too many, or the wrong digest), in which case they go.
     */
    boolean write(Descriptor blob, BlobOpener content, Path target, String what) throws IOException {
        Digest digest = blob.digest();
        Path partial = directory.resolve(digest.algorithm().id() + "-" + digest.hex());
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return false;
            }
            boolean keep = true;
            try {
                long have = channel.size();
                if (have > blob.size()) {
                    channel.truncate(0);
                    have = 0;
                }
                MessageDigest hash = digest.algorithm().newMessageDigest();
                hashExisting(channel, have, hash);
                long total = have + append(channel, content, have, blob.size() - have, hash);
                if (total != blob.size()) {
                    throw new DigestMismatchException(what, digest, blob.size(), total);
                }
                Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(hash.digest()));
                if (!actual.equals(digest)) {
                    keep = false;
                    throw new DigestMismatchException(what, digest, actual);
                }
                channel.force(true);
                AtomicFiles.moveIntoPlace(partial, target);
                return true;
            } finally {
                if (!keep || channel.size() == 0) {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    private static void hashExisting(FileChannel channel, long length, MessageDigest hash) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_CHUNK);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(COPY_CHUNK, length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("the partial download shrank while it was read");
            }
            hash.update(buffer.array(), 0, n);
            position += n;
        }
    }

    /** Appends what the source sends from {@code offset} on, at most {@code limit} bytes and one more to notice a longer blob. */
    private static long append(FileChannel channel, BlobOpener content, long offset, long limit, MessageDigest hash)
            throws IOException {
        long written = 0;
        try (InputStream in = content.openFrom(offset)) {
            byte[] chunk = new byte[COPY_CHUNK];
            for (int n; written <= limit && (n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, limit - written + 1))) > 0; ) {
                if (written + n > limit) {
                    channel.truncate(0);
                    return written + n;
                }
                hash.update(chunk, 0, n);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, offset + written + (n - buffer.remaining()));
                }
                written += n;
            }
        }
        return written;
    }

    /**
     * Keeps a whole, verified blob of a transaction that did not commit, so that the next pull
     * checks it again on disk instead of fetching it; one a writer has there already wins.
     */
    void keep(Digest digest, Path verified) throws IOException {
        try {
            Files.move(verified, directory.resolve(digest.algorithm().id() + "-" + digest.hex()));
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            // another pull is writing this blob
        }
    }

    /** Removes every partial download; only for a caller that holds the store's exclusive lock. */
    long removeAll() throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                bytes += Files.size(file);
                Files.delete(file);
            }
        }
        return bytes;
    }

    /** The bytes that partial downloads hold. */
    long bytes() throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                bytes += Files.size(file);
            }
        }
        return bytes;
    }
}
