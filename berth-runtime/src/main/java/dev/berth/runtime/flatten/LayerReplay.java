package dev.berth.runtime.flatten;

import java.util.BitSet;
import java.util.TreeMap;

/**
 * The tree one layer's entries leave when applied in order, as GNU tar, umoci and containerd
 * apply them: a later entry for a path replaces the earlier one, and a file, link or other
 * non-directory that replaces a directory takes the directory's earlier children with it. An
 * entry below something the same layer made a non-directory is refused: an extractor would
 * write it through that link or file.
 */
final class LayerReplay {
    /** The entry (its ordinal in the layer) that put a path in the tree; -1 for a directory only implied by paths below it. */
    private record Placed(int ordinal, boolean directory) {
        boolean implied() {
            return ordinal < 0;
        }
    }

    private static final Placed IMPLIED = new Placed(-1, true);

    private final String layerName;
    // Sorted, so that a directory's subtree is one range: "d/" up to "d0" ('0' follows '/').
    private final TreeMap<String, Placed> tree = new TreeMap<>();

    LayerReplay(String layerName) {
        this.layerName = layerName;
    }

    /**
     * Applies the entry at {@code ordinal}; true when it replaces an earlier entry of the layer
     * (or a directory the layer implied, with a non-directory), i.e. when the layer is not simply
     * one entry per path.
     */
    boolean apply(String path, int ordinal, boolean directory) {
        // Every path in the tree has only directories above it, so the walk stops at the first one found.
        for (String ancestor = parent(path); ancestor != null; ancestor = parent(ancestor)) {
            Placed above = tree.get(ancestor);
            if (above != null) {
                if (!above.directory()) {
                    throw LayerFlattener.unsafe(layerName, path, "lies under \"" + ancestor + "\", which the same layer made a link or file");
                }
                break;
            }
            tree.put(ancestor, IMPLIED);
        }
        Placed earlier = tree.put(path, new Placed(ordinal, directory));
        if (earlier == null) {
            return false;
        }
        if (earlier.directory() && !directory) {
            tree.subMap(path + "/", path + "0").clear();
        }
        return !(earlier.implied() && directory);
    }

    /** The ordinals of the entries that are still in the tree once the whole layer is applied. */
    BitSet survivors() {
        BitSet survivors = new BitSet();
        for (Placed placed : tree.values()) {
            if (!placed.implied()) {
                survivors.set(placed.ordinal());
            }
        }
        return survivors;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }
}
