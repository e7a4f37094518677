package dev.berth.runtime.flatten;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;

import java.nio.file.Path;

/**
 * A layer blob on disk (compressed or not), the name errors use for it, and the digest of its
 * uncompressed tar that the image config promises ({@code rootfs.diff_ids}).
 */
public record Layer(String name, Path blob, Digest diffId) {
    /** Refuses the layer when what it inflated to is not what the config promised. */
    void checkUncompressedDigest(Digest actual) {
        if (!actual.equals(diffId)) {
            throw new BerthException("DIGEST_INVALID", "layer " + name + ": its uncompressed content has digest " + actual
                    + ", but the image config's rootfs.diff_ids says " + diffId
                    + "; berth refuses to run a layer its config does not vouch for (pull or rebuild the image)");
        }
    }
}
