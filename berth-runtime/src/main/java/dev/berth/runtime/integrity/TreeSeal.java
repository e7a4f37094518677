package dev.berth.runtime.integrity;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestingInputStream;
import dev.berth.runtime.HostProcess;
import dev.berth.runtime.ToolRunner;
import dev.berth.runtime.Tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A digest of what lstat says about every entry of an extracted image tree (what a
 * {@link Fingerprint} holds), taken when it was extracted: anything that writes, adds, removes, renames or chmods an entry afterwards
 * changes the change time of that entry or of its directory, so the next run's walk no longer
 * gives the same digest. The walk reads attributes only, never file content: one lstat per
 * entry (see docs/benchmarks.md for what that costs).
 */
public final class TreeSeal {
    private static final int MAX_SIZE = 256;
    /** Per entry: relative path, type, device, inode, size, mode, modification and change times. */
    private static final String LISTING = "%P\\0%y:%D:%i:%s:%m:%T@:%C@\\n";

    private TreeSeal() {
    }

    /** Seals {@code tree} into {@code seal}. */
    public static void write(Path tree, Path seal) throws IOException {
        AtomicFiles.write(seal, (digestOf(tree) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code tree} is as it was when {@code seal} was written. */
    public static boolean intact(Path tree, Path seal) throws IOException {
        Optional<String> recorded = recorded(seal);
        if (recorded.isEmpty()) {
            return false;
        }
        try {
            return recorded.get().equals(digestOf(tree));
        } catch (NoSuchFileException vanished) {
            return false;
        }
    }

    /** What {@code seal} says: the SHA-256 (hex) of {@link #listingCommand}'s output, '-', and that command's exit code. */
    public static Optional<String> recorded(Path seal) throws IOException {
        try (InputStream in = Files.newInputStream(seal)) {
            return Optional.of(new String(in.readNBytes(MAX_SIZE), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
    }

    /**
     * The walk whose output a seal digests: find's listing of every entry's fingerprint. find (C, one lstat per entry)
     * walks a tree in about half the time the JDK's file attribute API took on the same trees.
     */
    public static List<String> listingCommand(Path tree) {
        return List.of(Tools.FIND.require(), tree.toString(), "-printf", LISTING);
    }

    /** The digest of the listing, with find's exit code. */
    private static String digestOf(Path tree) throws IOException {
        Process find = HostProcess.builder(listingCommand(tree)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Digest listing;
        try (DigestingInputStream in = new DigestingInputStream(find.getInputStream(), DigestAlgorithm.SHA256)) {
            in.transferTo(OutputStream.nullOutputStream());
            listing = in.digest();
        }
        // an unreadable directory makes find fail the same way every time; a vanished tree does not
        return listing.hex() + "-" + ToolRunner.waitFor(find);
    }
}
