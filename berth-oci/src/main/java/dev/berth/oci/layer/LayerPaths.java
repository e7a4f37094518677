package dev.berth.oci.layer;

import dev.berth.oci.BerthException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns the path of a tar entry into a clean path relative to the image root, refusing any
 * that would land outside it. Layers come from strangers: this is the first line of defence.
 */
public final class LayerPaths {
    private LayerPaths() {
    }

    /**
     * Normalises {@code ./a//b/} to {@code a/b}. Absolute paths are read relative to the root, as
     * Docker and umoci do; a {@code ..} that climbs above the root is an error naming the layer.
     *
     * @return the clean path, or the empty string for the root itself
     */
    public static String clean(String entryName, String layerName) {
        if (entryName.indexOf('\0') >= 0) {
            throw unsafe(layerName, entryName, "contains a NUL character");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : entryName.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw unsafe(layerName, entryName, "climbs out of the image root with '..'");
                }
                parts.removeLast();
                continue;
            }
            parts.addLast(part);
        }
        return String.join("/", parts);
    }

    /** Rejects an entry whose path contains {@code ..} at all; hard-link targets get this strictness. */
    public static void requireNoParentSteps(String path, String layerName) {
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw unsafe(layerName, path, "contains '..'");
            }
        }
    }

    private static BerthException unsafe(String layerName, String entryName, String why) {
        return new BerthException("LAYER_UNSAFE", "layer " + layerName + ": entry \"" + entryName + "\" " + why);
    }
}
