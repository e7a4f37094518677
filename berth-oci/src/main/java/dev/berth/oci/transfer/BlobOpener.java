package dev.berth.oci.transfer;

import java.io.IOException;
import java.io.InputStream;

/** Opens a blob's content afresh each time, so a sink that fails half way (a network upload) can start over. */
@FunctionalInterface
public interface BlobOpener {
    InputStream open() throws IOException;
}
