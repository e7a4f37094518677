package dev.berth.registry.storage;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/** Where an append to an upload writes; closing it leaves the file to its owner. */
interface DurableAppend extends WritableByteChannel {
    /** Returns once every byte written is on disk. */
    void finish() throws IOException;
}
