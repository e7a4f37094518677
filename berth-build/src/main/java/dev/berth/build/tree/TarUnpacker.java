package dev.berth.build.tree;

import dev.berth.oci.BerthException;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.layer.LayerWriter;
import dev.berth.oci.layer.Whiteout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a tar archive (plain, gzip or zstd) into a directory of a build tree: every entry is
 * placed as the container would see it ({@link TreePaths}), so none lands outside the tree,
 * whatever its name or the links before it. Owners go into the build's owner map, since the
 * files on disk all belong to the caller. As a layer, whiteouts delete what they name; as ADD's
 * archive, they are ordinary files, as Docker treats them.
 */
public final class TarUnpacker {
    private final Path tree;
    private final Map<String, LayerWriter.Owner> owners;

    public TarUnpacker(Path tree, Map<String, LayerWriter.Owner> owners) {
        this.tree = tree;
        this.owners = owners;
    }

    /** {@code owner}: every entry's owner, or empty for the owner each entry names. */
    public void unpack(Path archive, String directory, boolean layer, Optional<LayerWriter.Owner> owner) throws IOException {
        try (InputStream in = Compression.decompressed(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = directory + "/" + entry.getName();
                if (layer && Whiteout.isWhiteout(entry.getName())) {
                    delete(TreePaths.resolve(tree, Whiteout.target(name)));
                    continue;
                }
                Path target = TreePaths.resolve(tree, name);
                if (target.equals(tree) || !place(tar, entry, target, directory, archive)) {
                    continue;
                }
                if (!entry.isSymbolicLink()) {
                    Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
                    Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
                }
                owners.put(tree.relativize(target).toString(),
                        owner.orElse(new LayerWriter.Owner(entry.getLongUserId(), entry.getLongGroupId())));
            }
        }
    }

    /** Writes one entry; false for the kinds an unprivileged build cannot make (devices, FIFOs). */
    private boolean place(TarArchiveInputStream tar, TarArchiveEntry entry, Path target, String directory, Path archive)
            throws IOException {
        TreePaths.createDirectories(target.getParent());
        if (entry.isDirectory()) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                delete(target);
                TreePaths.createDirectories(target);
            }
        } else if (entry.isSymbolicLink()) {
            delete(target);
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Path linked = TreePaths.resolve(tree, directory + "/" + entry.getLinkName());
            if (!Files.isRegularFile(linked, LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException("BUILD_ARCHIVE_INVALID", archive.getFileName() + " links " + entry.getName()
                        + " to " + entry.getLinkName() + ", which it does not contain");
            }
            delete(target);
            Files.createLink(target, linked);
        } else if (entry.isFile()) {
            delete(target);
            Files.copy(tar, target);
        } else {
            return false;
        }
        return true;
    }

    /** Removes a path and, if it is a directory, what is in it; links are removed, never followed. */
    private static void delete(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    delete(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
