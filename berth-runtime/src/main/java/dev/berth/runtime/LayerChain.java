package dev.berth.runtime;

import dev.berth.oci.Digest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OCI ChainID of an image's layers: what identifies its root file system, whatever the
 * manifest, the compression of its layers or the rest of its config. Images that differ only in
 * those (a label, an entrypoint, a push that compressed again) share one converted file.
 */
final class LayerChain {
    private LayerChain() {
    }

    /** ChainID(L0) = DiffID(L0); ChainID(L0..Ln) = SHA-256(ChainID(L0..Ln-1) + " " + DiffID(Ln)); no layers: SHA-256 of nothing. */
    static Digest of(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            return Digest.of(new byte[0]);
        }
        Digest chain = diffIds.getFirst();
        for (Digest diffId : diffIds.subList(1, diffIds.size())) {
            chain = Digest.of((chain + " " + diffId).getBytes(StandardCharsets.UTF_8));
        }
        return chain;
    }
}
