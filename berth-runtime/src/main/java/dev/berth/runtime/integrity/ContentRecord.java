package dev.berth.runtime.integrity;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 of an image file that berth converted, in {@code FILE.sha256} beside it, in the
 * format {@code sha256sum -c} checks. Written by the conversion, so a site's shared cache carries
 * its maintainer's record of what each file must contain.
 */
public final class ContentRecord {
    private static final String SUFFIX = ".sha256";
    private static final int MAX_SIZE = 1024;

    private ContentRecord() {
    }

    /** Where the record of {@code file} lives. */
    public static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /** Records {@code digest} as the content of {@code file}. */
    public static void write(Path file, Digest digest) throws IOException {
        AtomicFiles.write(of(file), (digest.hex() + "  " + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded content of {@code file}; empty when there is no record or it is not one for this file. */
    public static Optional<Digest> read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(of(file), LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_SIZE);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        String[] fields = new String(bytes, StandardCharsets.UTF_8).strip().split("  ", 2);
        if (fields.length != 2 || !fields[1].equals(file.getFileName().toString()) || !Digest.isValid("sha256:" + fields[0])) {
            return Optional.empty();
        }
        return Optional.of(Digest.parse("sha256:" + fields[0]));
    }

    /** The SHA-256 of what {@code file} holds now. */
    public static Digest hash(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        }
        return Digest.parse("sha256:" + HexFormat.of().formatHex(sha256.digest()));
    }
}
