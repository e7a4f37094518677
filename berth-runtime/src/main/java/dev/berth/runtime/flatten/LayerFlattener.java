package dev.berth.runtime.flatten;

import dev.berth.oci.BerthException;
import dev.berth.oci.layer.LayerPaths;
import dev.berth.oci.layer.Whiteout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an image's layers into one tar stream holding exactly the final tree, without
 * extracting anything to disk. Layers are read from the top down: the first layer to put a path
 * wins, and whiteouts and opaque directories seen in a layer hide what the layers below hold.
 * Within one layer a later entry for a path replaces an earlier one ({@link LayerReplay}); a
 * flattener that streams finds such a layer and stops ({@link RepeatedPathFound}), and one that
 * pre-scans reads each layer twice to write only the entries that survive it.
 * Every entry comes from a stranger, so the merge also enforces the runtime's safety rules:
 * no entry outside the root, none written through a symbolic link or file, no hard link to
 * anything but a file of the final tree, no device nodes, no setuid or setgid bits.
 */
final class LayerFlattener {
    private static final int SPECIAL_MODE_BITS = 06000;
    private static final String USER_XATTR_PREFIX = "SCHILY.xattr.user.";
    private static final int TOP = Integer.MAX_VALUE;
    private static final String ROOT = "";

    private enum Kind { DIRECTORY, IMPLIED_DIRECTORY, FILE, OTHER }

    /** What the merged tree holds at a path, and which layer (index from the bottom) put it there. */
    private record Node(Kind kind, int layer, String origin) {
    }

    private record PendingHardLink(String layer, String path, String target, TarArchiveEntry entry) {
    }

    /** Thrown by a streaming flattener at a layer's first repeated path, when part of the tree is already written. */
    static final class RepeatedPathFound extends RuntimeException {
        RepeatedPathFound() {
            super("a layer holds a path twice", null, false, false);
        }
    }

    private final TarArchiveOutputStream out;
    private final boolean prescan;
    private final Map<String, Node> tree = new HashMap<>();
    private final Set<String> deleted = new HashSet<>();
    private final Set<String> opaque = new HashSet<>();
    private final List<PendingHardLink> hardLinks = new ArrayList<>();

    /** With {@code prescan}, layers that repeat a path are merged right; without, they throw {@link RepeatedPathFound}. */
    LayerFlattener(OutputStream tar, boolean prescan) {
        this.out = new TarArchiveOutputStream(tar);
        this.prescan = prescan;
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Adds a file of berth's own above every layer; layers cannot replace it. */
    void addFile(String path, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setMode(0644);
        entry.setSize(content.length);
        record(path, Kind.FILE, TOP, "berth");
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    /** Writes the merged tree of {@code layers} (bottom first, as in a manifest) and ends the tar stream. */
    void flatten(List<Layer> layers) throws IOException {
        for (int index = layers.size() - 1; index >= 0; index--) {
            Layer layer = layers.get(index);
            applyLayer(layer, index, prescan ? survivors(layer) : null);
        }
        writeHardLinks();
        out.finish();
        out.flush();
    }

    /** The first of a pre-scan's two passes: which entries of the layer are left once it is applied in order. */
    private static BitSet survivors(Layer layer) throws IOException {
        LayerReplay replay = new LayerReplay(layer.name());
        LayerEntries.read(layer, (entry, path, ordinal, content) -> {
            if (!Whiteout.isOpaqueMarker(path) && !Whiteout.isWhiteout(path)) {
                replay.apply(path, ordinal, entry.isDirectory());
            }
        });
        return replay.survivors();
    }

    /** Merges one layer; {@code survivors} null means stream it, checking as it goes that no path repeats. */
    private void applyLayer(Layer layer, int index, BitSet survivors) throws IOException {
        Set<String> layerDeletes = new HashSet<>();
        Set<String> layerOpaques = new HashSet<>();
        LayerReplay replay = survivors == null ? new LayerReplay(layer.name()) : null;
        LayerEntries.read(layer, (entry, path, ordinal, content) -> {
            if (Whiteout.isOpaqueMarker(path)) {
                layerOpaques.add(Whiteout.opaqueDirectory(path));
            } else if (Whiteout.isWhiteout(path)) {
                layerDeletes.add(Whiteout.target(path));
            } else if (survives(path, ordinal, entry.isDirectory(), replay, survivors) && isVisible(path)) {
                emit(content, entry, path, index, layer.name());
            }
        });
        // A layer's whiteouts hide only what lies below it, never its own entries.
        deleted.addAll(layerDeletes);
        opaque.addAll(layerOpaques);
    }

    /** Pre-scanned, whether the entry is the one its layer leaves at its path; streaming, every entry is until a path repeats. */
    private static boolean survives(String path, int ordinal, boolean directory, LayerReplay replay, BitSet survivors) {
        if (survivors != null) {
            return survivors.get(ordinal);
        }
        if (replay.apply(path, ordinal, directory)) {
            throw new RepeatedPathFound();
        }
        return true;
    }

    /** False when a layer above already decided this path (replaced, deleted or hid it). */
    private boolean isVisible(String path) {
        if (deleted.contains(path) || opaque.contains(ROOT)) {
            return false;
        }
        for (String ancestor = LayerReplay.parent(path); ancestor != null; ancestor = LayerReplay.parent(ancestor)) {
            if (deleted.contains(ancestor) || opaque.contains(ancestor)) {
                return false;
            }
            Node node = tree.get(ancestor);
            if (node != null && node.kind != Kind.DIRECTORY && node.kind != Kind.IMPLIED_DIRECTORY) {
                return false;
            }
        }
        Node existing = tree.get(path);
        return existing == null || existing.kind == Kind.IMPLIED_DIRECTORY;
    }

    private void emit(InputStream content, TarArchiveEntry entry, String path, int index, String layerName)
            throws IOException {
        Node existing = tree.get(path);
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            // Device nodes are never created; the path stays taken so lower layers cannot fill it.
            record(path, Kind.OTHER, index, layerName);
            return;
        }
        if (existing != null && !entry.isDirectory()) {
            // A layer above wrote below this path as if it were a directory; here it is a link or file.
            throw unsafe(existing.origin, path + "/...",
                    "writes through \"" + path + "\", which is a link or file in layer " + layerName);
        }
        if (entry.isLink()) {
            String target = LayerPaths.clean(entry.getLinkName(), layerName);
            LayerPaths.requireNoParentSteps(entry.getLinkName(), layerName);
            record(path, Kind.OTHER, index, layerName);
            hardLinks.add(new PendingHardLink(layerName, path, target, copyHeader(entry, path, TarConstants.LF_LINK)));
            return;
        }
        TarArchiveEntry copy;
        Kind kind;
        if (entry.isDirectory()) {
            copy = copyHeader(entry, path + "/", TarConstants.LF_DIR);
            kind = Kind.DIRECTORY;
        } else if (entry.isSymbolicLink()) {
            copy = copyHeader(entry, path, TarConstants.LF_SYMLINK);
            kind = Kind.OTHER;
        } else if (entry.isFIFO()) {
            copy = copyHeader(entry, path, TarConstants.LF_FIFO);
            kind = Kind.OTHER;
        } else if (entry.isFile()) {
            copy = copyHeader(entry, path, TarConstants.LF_NORMAL);
            copy.setSize(entry.getSize());
            kind = Kind.FILE;
        } else {
            return;
        }
        record(path, kind, index, layerName);
        out.putArchiveEntry(copy);
        if (kind == Kind.FILE) {
            content.transferTo(out);
        }
        out.closeArchiveEntry();
    }

    /** A fresh header with only what berth keeps: type, mode without setuid/setgid, owner, time, target, user xattrs. */
    private static TarArchiveEntry copyHeader(TarArchiveEntry from, String name, byte type) {
        TarArchiveEntry copy = new TarArchiveEntry(name, type, true);
        copy.setMode(from.getMode() & 07777 & ~SPECIAL_MODE_BITS);
        copy.setUserId(from.getLongUserId());
        copy.setGroupId(from.getLongGroupId());
        copy.setModTime(from.getLastModifiedTime());
        if (from.isSymbolicLink() || from.isLink()) {
            copy.setLinkName(from.getLinkName());
        }
        from.getExtraPaxHeaders().forEach((key, value) -> {
            if (key.startsWith(USER_XATTR_PREFIX)) {
                copy.addPaxHeader(key, value);
            }
        });
        return copy;
    }

    /** Hard links go last, once the whole tree is known, and only to regular files of it. */
    private void writeHardLinks() throws IOException {
        for (PendingHardLink link : hardLinks) {
            Node target = tree.get(link.target);
            if (target == null || target.kind != Kind.FILE || target.layer == TOP) {
                throw unsafe(link.layer, link.path, "is a hard link to \"" + link.target + "\", which is not a file in the image");
            }
            TarArchiveEntry entry = link.entry;
            entry.setLinkName(link.target);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        }
    }

    private void record(String path, Kind kind, int layer, String origin) {
        tree.put(path, new Node(kind, layer, origin));
        for (String ancestor = LayerReplay.parent(path); ancestor != null; ancestor = LayerReplay.parent(ancestor)) {
            if (tree.putIfAbsent(ancestor, new Node(Kind.IMPLIED_DIRECTORY, layer, origin)) != null) {
                break;
            }
        }
    }

    static BerthException unsafe(String layerName, String path, String why) {
        return refused(layerName, path, why, "berth refuses to run an image that would write outside its root");
    }

    static BerthException refused(String layerName, String path, String why, String refusal) {
        return new BerthException("LAYER_UNSAFE", "layer " + layerName + ": entry \"" + path + "\" " + why + "; " + refusal);
    }
}
