package dev.berth.runtime.integrity;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /**
     * Records {@code digest} as the content of {@code file}; the temporary goes to {@code scratch},
     * the directory the file itself is being written in, which a killed conversion's next run sweeps.
     */
    public static void write(Path file, Digest digest, Path scratch) throws IOException {
        AtomicFiles.write(of(file), (digest.hex() + "  " + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8), scratch);
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
        try (DigestingInputStream in = new DigestingInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                DigestAlgorithm.SHA256)) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.digest();
        }
    }
}
