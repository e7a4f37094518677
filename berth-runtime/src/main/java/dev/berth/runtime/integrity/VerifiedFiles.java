package dev.berth.runtime.integrity;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.Digest;
import dev.berth.oci.PrivateDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The user's own record of image files whose content berth has hashed and found as recorded,
 * each with the file's {@link Fingerprint} at the time: while the fingerprint is unchanged the
 * file is too, so a run checks a few attributes instead of hashing gigabytes.
 */
public final class VerifiedFiles {
    private static final int MAX_SIZE = 1024;

    private final Path directory;
    private final long uid;

    /** @param directory a private directory of the user's cache, created when first needed */
    public VerifiedFiles(Path directory, long uid) {
        this.directory = directory;
        this.uid = uid;
    }

    /** Whether {@code file} holds {@code expected}: by its remembered fingerprint, else by hashing it once. */
    public boolean holds(Path file, Digest expected) throws IOException {
        // a writer killed after its record was in place leaves its scratch, and no later run might write again
        ScratchDirectory.removeAbandoned(directory);
        Fingerprint before = Fingerprint.of(file);
        String entry = before.text() + "\t" + expected;
        if (entry.equals(remembered(file))) {
            return true;
        }
        if (!ContentRecord.hash(file).equals(expected) || !Fingerprint.of(file).equals(before)) {
            return false;
        }
        write(file, entry);
        return true;
    }

    /** Remembers that {@code file}, as it is now, holds {@code digest} (a file berth has just written and hashed). */
    public void remember(Path file, Digest digest) throws IOException {
        write(file, Fingerprint.of(file).text() + "\t" + digest);
    }

    private String remembered(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(recordOf(file))) {
            return new String(in.readNBytes(MAX_SIZE), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException none) {
            return "";
        }
    }

    /** Through a scratch directory, so that what a killed writer left is swept by the next one. */
    private void write(Path file, String entry) throws IOException {
        PrivateDirectory.create(directory, uid);
        ScratchDirectory.removeAbandoned(directory);
        try (ScratchDirectory scratch = ScratchDirectory.create(directory, "record")) {
            AtomicFiles.write(recordOf(file), (entry + "\n").getBytes(StandardCharsets.UTF_8), scratch.path());
        }
    }

    private Path recordOf(Path file) {
        String key = file.toAbsolutePath().normalize().toString();
        return directory.resolve(Digest.of(key.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32));
    }
}
