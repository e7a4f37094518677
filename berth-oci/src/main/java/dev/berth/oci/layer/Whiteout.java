package dev.berth.oci.layer;

/**
 * The OCI/AUFS whiteout convention: in a layer, {@code dir/.wh.name} deletes {@code dir/name}
 * from the layers below, and {@code dir/.wh..wh..opq} hides everything below in {@code dir}.
 */
public final class Whiteout {
    public static final String PREFIX = ".wh.";
    public static final String OPAQUE_MARKER = ".wh..wh..opq";

    private Whiteout() {
    }

    /** True for {@code .wh..wh..opq}: the containing directory is opaque. */
    public static boolean isOpaqueMarker(String path) {
        return baseName(path).equals(OPAQUE_MARKER);
    }

    /** True for a {@code .wh.NAME} entry that deletes a sibling (not the opaque marker). */
    public static boolean isWhiteout(String path) {
        String base = baseName(path);
        return base.startsWith(PREFIX) && !base.equals(OPAQUE_MARKER);
    }

    /** The path a whiteout entry deletes: {@code a/b/.wh.c} deletes {@code a/b/c}. */
    public static String target(String whiteoutPath) {
        int slash = whiteoutPath.lastIndexOf('/');
        String dir = slash < 0 ? "" : whiteoutPath.substring(0, slash + 1);
        return dir + baseName(whiteoutPath).substring(PREFIX.length());
    }

    /** The directory an opaque marker applies to: {@code a/b/.wh..wh..opq} makes {@code a/b} opaque. */
    public static String opaqueDirectory(String markerPath) {
        int slash = markerPath.lastIndexOf('/');
        return slash < 0 ? "" : markerPath.substring(0, slash);
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
