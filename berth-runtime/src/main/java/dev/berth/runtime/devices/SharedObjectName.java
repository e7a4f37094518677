package dev.berth.runtime.devices;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A shared library's SONAME (DT_SONAME in its ELF dynamic section): the name programs load it by,
 * which ldconfig links to the file. CDI specs mount driver libraries under their file names
 * (libcuda.so.550.54.15) and leave the links to an ldconfig hook; berth reads the name instead.
 */
final class SharedObjectName {
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_NULL = 0;
    private static final long DT_STRTAB = 5;
    private static final long DT_SONAME = 14;
    private static final int MAX_DYNAMIC_BYTES = 1 << 20;
    private static final int MAX_NAME_BYTES = 4096;

    private record Segment(long type, long offset, long address, long fileSize) {
    }

    private SharedObjectName() {
    }

    /** The SONAME of {@code file}; empty when it is no ELF shared library or names none. */
    static Optional<String> of(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = read(channel, 0, 64);
            if (ident.limit() < 64 || ident.getInt(0) != 0x7f454c46) {
                return Optional.empty();
            }
            boolean wide = ident.get(4) == 2;
            ident.order(ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            List<Segment> segments = segments(channel, ident, wide);
            Segment dynamic = segments.stream().filter(segment -> segment.type() == PT_DYNAMIC).findFirst().orElse(null);
            if (dynamic == null || dynamic.fileSize() > MAX_DYNAMIC_BYTES) {
                return Optional.empty();
            }
            ByteBuffer entries = read(channel, dynamic.offset(), (int) dynamic.fileSize()).order(ident.order());
            long strtab = -1;
            long soname = -1;
            int entrySize = wide ? 16 : 8;
            for (int at = 0; at + entrySize <= entries.limit(); at += entrySize) {
                long tag = wide ? entries.getLong(at) : entries.getInt(at);
                long value = wide ? entries.getLong(at + 8) : Integer.toUnsignedLong(entries.getInt(at + 4));
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_STRTAB) {
                    strtab = value;
                } else if (tag == DT_SONAME) {
                    soname = value;
                }
            }
            long strings = fileOffset(segments, strtab);
            return strings < 0 || soname < 0 ? Optional.empty() : string(channel, strings + soname);
        } catch (IOException | RuntimeException e) {
            // not a readable ELF file: it is bound under its own name
            return Optional.empty();
        }
    }

    private static List<Segment> segments(FileChannel channel, ByteBuffer header, boolean wide) throws IOException {
        long table = wide ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
        int entrySize = Short.toUnsignedInt(header.getShort(wide ? 54 : 42));
        int count = Short.toUnsignedInt(header.getShort(wide ? 56 : 44));
        ByteBuffer entries = read(channel, table, entrySize * count).order(header.order());
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count && (i + 1) * entrySize <= entries.limit(); i++) {
            int at = i * entrySize;
            segments.add(wide
                    ? new Segment(entries.getInt(at), entries.getLong(at + 8), entries.getLong(at + 16), entries.getLong(at + 32))
                    : new Segment(entries.getInt(at), Integer.toUnsignedLong(entries.getInt(at + 4)),
                            Integer.toUnsignedLong(entries.getInt(at + 8)), Integer.toUnsignedLong(entries.getInt(at + 16))));
        }
        return segments;
    }

    /** Where the loadable segment holding {@code address} keeps it in the file; -1 if none does. */
    private static long fileOffset(List<Segment> segments, long address) {
        for (Segment segment : segments) {
            if (segment.type() == PT_LOAD && address >= segment.address() && address < segment.address() + segment.fileSize()) {
                return address - segment.address() + segment.offset();
            }
        }
        return -1;
    }

    private static Optional<String> string(FileChannel channel, long offset) throws IOException {
        ByteBuffer bytes = read(channel, offset, MAX_NAME_BYTES);
        for (int i = 0; i < bytes.limit(); i++) {
            if (bytes.get(i) == 0) {
                String name = new String(bytes.array(), 0, i, StandardCharsets.UTF_8);
                // the name becomes a path inside the container: nothing that could leave the library directory
                return name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
                        ? Optional.empty() : Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        int count;
        do {
            count = channel.read(buffer, offset + buffer.position());
        } while (count > 0 && buffer.hasRemaining());
        return buffer.flip();
    }
}
