package dev.berth.oci.transfer;

import dev.berth.oci.Descriptor;

/** Hears what a copy does, blob by blob, for progress displays. Called from several threads. */
public interface CopyListener {
    CopyListener NONE = new CopyListener() {
    };

    default void blobSkipped(Descriptor blob) {
    }

    default void blobStarted(Descriptor blob) {
    }

    default void blobProgress(Descriptor blob, long bytesSoFar) {
    }

    default void blobDone(Descriptor blob) {
    }
}
