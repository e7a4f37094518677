package dev.berth.registry.storage;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** A request body that can pour itself into a channel; returns how many bytes it wrote. */
@FunctionalInterface
public interface ChunkSource {
    long writeTo(WritableByteChannel target) throws IOException;
}
