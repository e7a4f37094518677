package dev.berth.oci.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one tar entry, read through a file channel of its own with positional reads, so
 * that any number of entries can be read at once (commons-compress's entry streams share one
 * channel and seek it without a lock).
 */
final class EntryInputStream extends InputStream {
    private final FileChannel channel;
    private final Path file;
    private final long end;
    private long position;

    private EntryInputStream(FileChannel channel, Path file, long offset, long size) {
        this.channel = channel;
        this.file = file;
        this.position = offset;
        this.end = offset + size;
    }

    static EntryInputStream open(Path file, long offset, long size) throws IOException {
        return new EntryInputStream(FileChannel.open(file, StandardOpenOption.READ), file, offset, size);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= end) {
            return -1;
        }
        int wanted = (int) Math.min(length, end - position);
        int read = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
        if (read < 0) {
            throw new EOFException(file + " is truncated");
        }
        position += read;
        return read;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
