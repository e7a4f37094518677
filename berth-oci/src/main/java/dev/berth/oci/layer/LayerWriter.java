package dev.berth.oci.layer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.MediaType;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a gzip-compressed layer tar from files of a directory tree, the same bytes for the same
 * files on any machine: entries in the order given, owners as given (never the host's names),
 * modification times in whole seconds and, with a clamp, never later than it; gzip's header
 * carries no time or name. The caller chooses which paths go in and sorts them.
 */
public final class LayerWriter implements AutoCloseable {
    /** An entry's owner inside the image. */
    public record Owner(long uid, long gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    /** The written layer: its descriptor (of the compressed blob) and its diff ID (of the tar). */
    public record Written(Path file, Descriptor descriptor, Digest diffId) {
    }

    private final Path file;
    private final Optional<Instant> clamp;
    private final MessageDigest compressedDigest = DigestAlgorithm.SHA256.newMessageDigest();
    private final MessageDigest tarDigest = DigestAlgorithm.SHA256.newMessageDigest();
    private final CountingOutputStream counted;
    private final TarArchiveOutputStream tar;
    /** The first path written of each file with several names (device and inode), which later names link to. */
    private final Map<String, String> firstNames = new HashMap<>();

    private LayerWriter(Path file, Optional<Instant> clamp) throws IOException {
        this.file = file;
        this.clamp = clamp;
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        counted = new CountingOutputStream(new BufferedOutputStream(new DigestOutputStream(out, compressedDigest), 1 << 16));
        OutputStream gzip = Compression.GZIP.compressing(counted);
        tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, tarDigest), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** @param clamp with SOURCE_DATE_EPOCH: the latest modification time any entry may carry */
    public static LayerWriter create(Path file, Optional<Instant> clamp) throws IOException {
        return new LayerWriter(file, clamp);
    }

    /**
     * Adds {@code tree/path} (a directory, regular file or symbolic link; anything else is skipped,
     * as an unprivileged build cannot make devices) as {@code path}, with its permission bits and {@code owner}.
     */
    public void add(Path tree, String path, Owner owner) throws IOException {
        Path source = tree.resolve(path);
        Map<String, Object> attributes = Files.readAttributes(source, "unix:mode,size,lastModifiedTime,nlink,dev,ino",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        int type = mode & 0170000;
        Optional<String> hardLink = type == 0100000 ? linkedTo(attributes, path) : Optional.empty();
        TarArchiveEntry entry;
        if (type == 0040000) {
            entry = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
        } else if (hardLink.isPresent()) {
            entry = new TarArchiveEntry(path, TarConstants.LF_LINK);
            entry.setLinkName(hardLink.get());
        } else if (type == 0100000) {
            entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
            entry.setSize((Long) attributes.get("size"));
        } else if (type == 0120000) {
            entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(source).toString());
        } else {
            return;
        }
        entry.setMode(mode & 07777);
        entry.setUserId(owner.uid());
        entry.setGroupId(owner.gid());
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(clampedSeconds(((FileTime) attributes.get("lastModifiedTime")).toInstant())));
        tar.putArchiveEntry(entry);
        if (type == 0100000 && hardLink.isEmpty()) {
            Files.copy(source, tar);
        }
        tar.closeArchiveEntry();
    }

    /**
     * For a file with several names, the name this layer wrote it under first, which {@code path}
     * is then a hard link to (as in Docker's layers: the content goes in once); else empty, and
     * {@code path} becomes that first name.
     */
    private Optional<String> linkedTo(Map<String, Object> attributes, String path) {
        if ((Integer) attributes.get("nlink") < 2) {
            return Optional.empty();
        }
        String inode = attributes.get("dev") + ":" + attributes.get("ino");
        String first = firstNames.putIfAbsent(inode, path);
        return first == null || first.equals(path) ? Optional.empty() : Optional.of(first);
    }

    /** Adds a whiteout deleting {@code path} from the layers below. */
    public void whiteout(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String name = (slash < 0 ? "" : path.substring(0, slash + 1)) + Whiteout.PREFIX + path.substring(slash + 1);
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        entry.setMode(0644);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(clamp.orElse(Instant.EPOCH)));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private Instant clampedSeconds(Instant time) {
        Instant seconds = Instant.ofEpochSecond(time.getEpochSecond());
        return clamp.filter(limit -> limit.isBefore(seconds)).orElse(seconds);
    }

    public Written finish() throws IOException {
        tar.finish();
        tar.close();
        Digest blob = new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(compressedDigest.digest()));
        Digest diffId = new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(tarDigest.digest()));
        return new Written(file, Descriptor.of(MediaType.OCI_LAYER_GZIP, blob, counted.count), diffId);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
