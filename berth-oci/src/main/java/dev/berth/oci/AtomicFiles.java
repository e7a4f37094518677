package dev.berth.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that never leave a half file under a final name: write to a temporary name in the same
 * directory, fsync, rename, fsync the directory.
 */
public final class AtomicFiles {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int COPY_CHUNK = 256 * 1024;

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, target.toAbsolutePath().getParent());
    }

    /**
     * As {@link #write(Path, byte[])}, with the temporary in {@code tempDirectory} (on the same file
     * system): a scratch directory whose leftovers a later run sweeps, where a temporary beside
     * the target would stay when its writer is killed before the rename.
     */
    public static void write(Path target, byte[] content, Path tempDirectory) throws IOException {
        Path temp = tempDirectory.resolve(TEMP_PREFIX + target.getFileName() + "-" + uniqueSuffix());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Streams {@code content} to {@code target} while hashing it and moves it into place only when
     * digest and size match the descriptor's (size -1: not checked). Nothing is left on failure.
     */
    public static void writeVerified(Path target, InputStream content, Digest expected, long expectedSize, String what)
            throws IOException {
        Path temp = tempSibling(target);
        try {
            DigestingInputStream digesting = new DigestingInputStream(content, expected.algorithm());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copy(digesting, channel);
                channel.force(true);
            }
            if (expectedSize >= 0 && digesting.count() != expectedSize) {
                throw new DigestMismatchException(what, expected, expectedSize, digesting.count());
            }
            Digest actual = digesting.digest();
            if (!actual.equals(expected)) {
                throw new DigestMismatchException(what, expected, actual);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Copies in large chunks: every chunk costs a pass down the stream chain (progress, digest,
     * the HTTP body) and a write system call, and layers run to hundreds of megabytes.
     */
    private static void copy(InputStream in, FileChannel out) throws IOException {
        byte[] chunk = new byte[COPY_CHUNK];
        for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    /** Renames into place and fsyncs the directory so the new name survives a crash. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically", e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** True for the temporary names this class uses, so listings can skip them. */
    public static boolean isTemporary(Path path) {
        return path.getFileName().toString().startsWith(TEMP_PREFIX);
    }

    /**
     * Deletes the temporaries of {@code target} that killed writers left. Only for a caller that
     * holds the one lock every writer of {@code target} takes, so that none of them is alive.
     */
    public static void removeLeftoversOf(Path target) throws IOException {
        String prefix = TEMP_PREFIX + target.getFileName() + "-";
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(target.toAbsolutePath().getParent(),
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static Path tempSibling(Path target) {
        return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + uniqueSuffix());
    }

    /**
     * 128 random bits in hex, for names that must not clash but need not be secret; whoever
     * creates a file or directory under such a name still creates it exclusively. Not
     * UUID.randomUUID: its SecureRandom costs a short command 20 ms the first time.
     */
    public static String uniqueSuffix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
