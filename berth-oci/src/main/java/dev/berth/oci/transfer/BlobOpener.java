package dev.berth.oci.transfer;

import java.io.IOException;
import java.io.InputStream;

/** Opens a blob's content afresh each time, so a sink that fails half way (a network upload, a download cut short) can start over or resume. */
@FunctionalInterface
public interface BlobOpener {
    InputStream open() throws IOException;

    /**
     * True when reading the content again is costly (a download), so that a sink keeps what it
     * received of a failed write to resume from; a local file is simply read again.
     */
    default boolean costlyToReadAgain() {
        return false;
    }

    /** The content from byte {@code offset} on, for a sink resuming what it already has; sources that can seek override it. */
    default InputStream openFrom(long offset) throws IOException {
        return skipping(open(), offset);
    }

    /** {@code in} past its first {@code offset} bytes; closed if they cannot be skipped. */
    static InputStream skipping(InputStream in, long offset) throws IOException {
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
