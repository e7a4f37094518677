package dev.berth.runtime.flatten;

import dev.berth.oci.layer.LayerPaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One pass over a layer's tar: every entry in order with its clean path, the paths berth cannot
 * store refused, and at the end the whole uncompressed stream checked against the layer's diff_id.
 */
final class LayerEntries {
    /** Longest entry path accepted; Linux's PATH_MAX. */
    private static final int MAX_PATH_LENGTH = 4096;
    /** Longest name (path component) squashfs stores, in bytes of UTF-8; Linux's NAME_MAX. */
    private static final int MAX_NAME_BYTES = 255;
    /** A UTF-16 char takes at most 3 bytes of UTF-8, so shorter names need no encoding to check. */
    private static final int NAME_CHARS_ALWAYS_SHORT = MAX_NAME_BYTES / 3;

    @FunctionalInterface
    interface Visitor {
        /** One entry; {@code ordinal} counts every entry of the layer from 0, {@code content} is its data. */
        void visit(TarArchiveEntry entry, String path, int ordinal, InputStream content) throws IOException;
    }

    private LayerEntries() {
    }

    static void read(Layer layer, Visitor visitor) throws IOException {
        try (BackgroundDecompression uncompressed = BackgroundDecompression.open(layer.blob(), layer.diffId().algorithm());
             TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed)) {
            TarArchiveEntry entry;
            for (int ordinal = 0; (entry = tar.getNextEntry()) != null; ordinal++) {
                String path = checkedPath(entry, layer.name());
                if (!path.isEmpty()) {
                    visitor.visit(entry, path, ordinal, tar);
                }
            }
            layer.checkUncompressedDigest(uncompressed.drainAndDigest());
        }
    }

    private static String checkedPath(TarArchiveEntry entry, String layerName) {
        if (entry.getName().length() > MAX_PATH_LENGTH) {
            throw LayerFlattener.unsafe(layerName, entry.getName().substring(0, 64) + "...", "has a path longer than " + MAX_PATH_LENGTH);
        }
        String path = LayerPaths.clean(entry.getName(), layerName);
        for (int start = 0, end; start < path.length(); start = end + 1) {
            end = path.indexOf('/', start);
            end = end < 0 ? path.length() : end;
            if (end - start > NAME_CHARS_ALWAYS_SHORT
                    && path.substring(start, end).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw LayerFlattener.refused(layerName, path, "has a name longer than the " + MAX_NAME_BYTES
                        + " bytes squashfs and Linux allow", "berth refuses to convert an image it cannot store whole");
            }
        }
        return path;
    }
}
