package dev.berth.runtime.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code berth check} needs of an ELF file, read from its headers, notes and version
 * sections only (a library of hundreds of MiB costs a few small reads): its machine, the x86-64
 * ISA levels it declares it needs, the symbol versions it defines (libc.so.6: GLIBC_2.2.5 ...
 * GLIBC_2.36) and those it needs from other libraries, and the libraries it links with the
 * directories its loader looks in first (the dynamic section's NEEDED and RUNPATH). 64-bit little-endian files only; every
 * offset and count in the file is checked against the file's size before it is followed.
 *
 * @param machine         e_machine (62: x86-64, 183: AArch64)
 * @param isaNeeded       the bits of GNU_PROPERTY_X86_ISA_1_NEEDED (1 baseline, 2 v2, 4 v3, 8 v4); 0 when not declared
 * @param versionsDefined the names of the file's version definitions, without its own soname
 * @param versionsNeeded  the version names it needs from the libraries it links
 * @param libraries       the sonames it links (DT_NEEDED), in the file's order
 * @param runPath         the directories of its DT_RUNPATH, else of its DT_RPATH, as written ($ORIGIN unexpanded)
 * @param interpreter     the program interpreter its PT_INTERP names (the dynamic loader of a program)
 */
public record ElfFile(int machine, int isaNeeded, List<String> versionsDefined, List<String> versionsNeeded,
                      List<String> libraries, List<String> runPath, Optional<String> interpreter) {
    public static final int MACHINE_X86_64 = 62;
    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int PT_INTERP = 3;
    private static final int PT_NOTE = 4;
    private static final int NT_GNU_PROPERTY_TYPE_0 = 5;
    private static final int GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;
    private static final int SHT_DYNAMIC = 6;
    private static final long DT_NEEDED = 1;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final int DYNAMIC_ENTRY_SIZE = 16;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final int VER_FLG_BASE = 1;
    /** Real files have a dozen program headers and a few dozen sections; more is a crafted file. */
    private static final int MAX_HEADERS = 4096;
    /** Bounds each note segment, version section and string table read. */
    private static final int MAX_TABLE_BYTES = 16 << 20;
    /** Bounds the walk of a version chain, which a crafted file could make circular. */
    private static final int MAX_VERSION_ENTRIES = 65536;

    public ElfFile {
        versionsDefined = List.copyOf(versionsDefined);
        versionsNeeded = List.copyOf(versionsNeeded);
        libraries = List.copyOf(libraries);
        runPath = List.copyOf(runPath);
    }

    /**
     * Reads {@code file} (never through a symbolic link); empty when it is not an ELF file at all
     * (a script, a text file), an {@link ElfFormatException} when it is one berth cannot read.
     */
    public static Optional<ElfFile> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size < MAGIC.length || !isElf(bytes(channel, 0, MAGIC.length, "the magic number", size))) {
                return Optional.empty();
            }
            return Optional.of(new Reader(channel, size).read());
        }
    }

    private static boolean isElf(ByteBuffer start) {
        for (byte expected : MAGIC) {
            if (start.get() != expected) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer bytes(FileChannel channel, long offset, long length, String what, long size) throws IOException {
        if (offset < 0 || length < 0 || length > MAX_TABLE_BYTES || offset > size - length) {
            throw new ElfFormatException("truncated or corrupt: " + what + " (" + length + " bytes at offset " + offset
                    + ") lies outside the file's " + size + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new ElfFormatException("truncated: the file ended while reading " + what);
            }
        }
        return buffer.flip();
    }

    /** One read of one file: the header first, then what it points to. */
    private static final class Reader {
        private final FileChannel channel;
        private final long size;

        Reader(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        ElfFile read() throws IOException {
            ByteBuffer header = bytes(0, HEADER_SIZE, "the ELF header");
            if (header.get(4) != 2) {
                throw header.get(4) == 1 ? new ElfFormatException("a 32-bit ELF file, which berth check does not read", true)
                        : new ElfFormatException("an ELF file of unknown class " + header.get(4));
            }
            if (header.get(5) != 1) {
                throw new ElfFormatException("a big-endian ELF file, which berth check does not read", true);
            }
            int machine = Short.toUnsignedInt(header.getShort(18));
            int programHeaders = entries(header.getShort(56), "program headers");
            int isaNeeded = isaNeeded(header.getLong(32), programHeaders);
            Optional<String> interpreter = interpreter(header.getLong(32), programHeaders);
            List<String> defined = new ArrayList<>();
            List<String> needed = new ArrayList<>();
            List<String> libraries = new ArrayList<>();
            List<String> runPath = new ArrayList<>();
            long sectionsAt = header.getLong(40);
            int sectionCount = entries(header.getShort(60), "section headers");
            if (sectionsAt != 0 && sectionCount > 0) {
                ByteBuffer sections = bytes(sectionsAt, (long) sectionCount * SECTION_HEADER_SIZE, "the section headers");
                for (int i = 0; i < sectionCount; i++) {
                    int type = sections.getInt(i * SECTION_HEADER_SIZE + 4);
                    if (type == SHT_GNU_VERDEF || type == SHT_GNU_VERNEED) {
                        versions(sections, i, sectionCount, type == SHT_GNU_VERDEF ? defined : needed);
                    } else if (type == SHT_DYNAMIC) {
                        dynamic(sections, i, sectionCount, libraries, runPath);
                    }
                }
            }
            return new ElfFile(machine, isaNeeded, defined, needed, libraries, runPath, interpreter);
        }

        private static int entries(short count, String what) throws ElfFormatException {
            int entries = Short.toUnsignedInt(count);
            if (entries > MAX_HEADERS) {
                throw new ElfFormatException("corrupt: " + entries + " " + what);
            }
            return entries;
        }

        /** The path that PT_INTERP holds, up to its NUL. */
        private Optional<String> interpreter(long programHeadersAt, int count) throws IOException {
            ByteBuffer headers = bytes(programHeadersAt, (long) count * PROGRAM_HEADER_SIZE, "the program headers");
            for (int i = 0; i < count; i++) {
                int at = i * PROGRAM_HEADER_SIZE;
                if (headers.getInt(at) == PT_INTERP) {
                    String path = StandardCharsets.UTF_8.decode(bytes(headers.getLong(at + 8), headers.getLong(at + 32),
                            "the interpreter's path")).toString();
                    int end = path.indexOf('\0');
                    return Optional.of(end < 0 ? path : path.substring(0, end));
                }
            }
            return Optional.empty();
        }

        /** The ISA bits of the GNU property notes in the PT_NOTE segments: the loader reads them there, stripped files keep them. */
        private int isaNeeded(long programHeadersAt, int count) throws IOException {
            ByteBuffer headers = bytes(programHeadersAt, (long) count * PROGRAM_HEADER_SIZE, "the program headers");
            int bits = 0;
            for (int i = 0; i < count; i++) {
                int at = i * PROGRAM_HEADER_SIZE;
                if (headers.getInt(at) == PT_NOTE) {
                    long alignment = headers.getLong(at + 48);
                    bits |= isaNeededInNotes(bytes(headers.getLong(at + 8), headers.getLong(at + 32), "a note segment"),
                            alignment == 8 ? 8 : 4);
                }
            }
            return bits;
        }

        private static int isaNeededInNotes(ByteBuffer notes, int alignment) throws ElfFormatException {
            int bits = 0;
            int at = 0;
            while (notes.limit() - at >= 12) {
                long nameSize = Integer.toUnsignedLong(notes.getInt(at));
                long descriptionSize = Integer.toUnsignedLong(notes.getInt(at + 4));
                int type = notes.getInt(at + 8);
                long descriptionAt = align(at + 12L + nameSize, alignment);
                long next = align(descriptionAt + descriptionSize, alignment);
                if (next > notes.limit()) {
                    throw new ElfFormatException("corrupt: a note runs past the end of its segment");
                }
                if (type == NT_GNU_PROPERTY_TYPE_0 && nameSize == 4 && isGnu(notes, at + 12)) {
                    bits |= isaNeededInProperties(notes, (int) descriptionAt, (int) (descriptionAt + descriptionSize));
                }
                at = (int) next;
            }
            return bits;
        }

        private static boolean isGnu(ByteBuffer notes, int at) {
            return notes.get(at) == 'G' && notes.get(at + 1) == 'N' && notes.get(at + 2) == 'U' && notes.get(at + 3) == 0;
        }

        /** Properties are (type, size, data) records, each padded to 8 bytes in a 64-bit file. */
        private static int isaNeededInProperties(ByteBuffer notes, int at, int end) throws ElfFormatException {
            int bits = 0;
            while (end - at >= 8) {
                int type = notes.getInt(at);
                long dataSize = Integer.toUnsignedLong(notes.getInt(at + 4));
                if (at + 8 + dataSize > end) {
                    throw new ElfFormatException("corrupt: a GNU property runs past the end of its note");
                }
                if (type == GNU_PROPERTY_X86_ISA_1_NEEDED && dataSize >= 4) {
                    bits |= notes.getInt(at + 8);
                }
                at = (int) align(at + 8 + dataSize, 8);
            }
            return bits;
        }

        /**
         * The names of a version section's entries. Definitions (Elf64_Verdef, 20 bytes) name
         * themselves in their first auxiliary entry; needs (Elf64_Verneed, 16 bytes) list one
         * auxiliary entry (Elf64_Vernaux, 16 bytes) per version needed of one library.
         */
        private void versions(ByteBuffer sections, int index, int sectionCount, List<String> names) throws IOException {
            int at = index * SECTION_HEADER_SIZE;
            boolean definitions = sections.getInt(at + 4) == SHT_GNU_VERDEF;
            ByteBuffer table = bytes(sections.getLong(at + 24), sections.getLong(at + 32), "a symbol version section");
            ByteBuffer strings = linkedStrings(sections, at, sectionCount, "a symbol version section");
            long entry = 0;
            for (int count = 0; count < MAX_VERSION_ENTRIES; count++) {
                require(table, entry, definitions ? 20 : 16);
                int auxiliaries = Short.toUnsignedInt(table.getShort((int) entry + (definitions ? 6 : 2)));
                long auxiliary = entry + Integer.toUnsignedLong(table.getInt((int) entry + (definitions ? 12 : 8)));
                if (definitions) {
                    boolean ownName = (table.getShort((int) entry + 2) & VER_FLG_BASE) != 0;
                    require(table, auxiliary, 8);
                    if (!ownName && auxiliaries > 0) {
                        names.add(string(strings, table.getInt((int) auxiliary)));
                    }
                } else {
                    for (int i = 0; i < auxiliaries && i < MAX_VERSION_ENTRIES; i++) {
                        require(table, auxiliary, 16);
                        names.add(string(strings, table.getInt((int) auxiliary + 8)));
                        long step = Integer.toUnsignedLong(table.getInt((int) auxiliary + 12));
                        if (step == 0) {
                            break;
                        }
                        auxiliary += step;
                    }
                }
                long step = Integer.toUnsignedLong(table.getInt((int) entry + (definitions ? 16 : 12)));
                if (step == 0) {
                    return;
                }
                entry += step;
            }
            throw new ElfFormatException("corrupt: a symbol version chain does not end");
        }

        /** The NEEDED names and the RUNPATH (else RPATH) directories of the dynamic section (Elf64_Dyn: tag, value). */
        private void dynamic(ByteBuffer sections, int index, int sectionCount, List<String> libraries, List<String> runPath)
                throws IOException {
            int at = index * SECTION_HEADER_SIZE;
            ByteBuffer table = bytes(sections.getLong(at + 24), sections.getLong(at + 32), "the dynamic section");
            ByteBuffer strings = linkedStrings(sections, at, sectionCount, "the dynamic section");
            List<String> rpath = new ArrayList<>();
            for (int entry = 0; entry + DYNAMIC_ENTRY_SIZE <= table.limit(); entry += DYNAMIC_ENTRY_SIZE) {
                long tag = table.getLong(entry);
                long value = table.getLong(entry + 8);
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED || tag == DT_RUNPATH || tag == DT_RPATH) {
                    if (value < 0 || value >= Integer.MAX_VALUE) {
                        throw new ElfFormatException("corrupt: a name of the dynamic section lies outside its string table");
                    }
                    String name = string(strings, (int) value);
                    if (tag == DT_NEEDED) {
                        libraries.add(name);
                    } else {
                        List<String> target = tag == DT_RUNPATH ? runPath : rpath;
                        for (String directory : name.split(":")) {
                            if (!directory.isEmpty()) {
                                target.add(directory);
                            }
                        }
                    }
                }
            }
            if (runPath.isEmpty()) {
                runPath.addAll(rpath);
            }
        }

        private ByteBuffer linkedStrings(ByteBuffer sections, int at, int sectionCount, String what) throws IOException {
            int link = sections.getInt(at + 40);
            if (link <= 0 || link >= sectionCount) {
                throw new ElfFormatException("corrupt: " + what + " names no string table");
            }
            int stringsAt = link * SECTION_HEADER_SIZE;
            return bytes(sections.getLong(stringsAt + 24), sections.getLong(stringsAt + 32), "a string table");
        }

        private static void require(ByteBuffer table, long at, int length) throws ElfFormatException {
            if (at < 0 || at + length > table.limit()) {
                throw new ElfFormatException("corrupt: a symbol version entry lies outside its section");
            }
        }

        private static String string(ByteBuffer strings, int offset) throws ElfFormatException {
            if (Integer.toUnsignedLong(offset) >= strings.limit()) {
                throw new ElfFormatException("corrupt: a name lies outside its string table");
            }
            int end = offset;
            while (end < strings.limit() && strings.get(end) != 0) {
                end++;
            }
            if (end == strings.limit()) {
                throw new ElfFormatException("corrupt: a name runs past the end of its string table");
            }
            byte[] name = new byte[end - offset];
            strings.get(offset, name);
            return new String(name, StandardCharsets.US_ASCII);
        }

        private static long align(long value, int alignment) {
            return (value + alignment - 1) & -alignment;
        }

        private ByteBuffer bytes(long offset, long length, String what) throws IOException {
            return ElfFile.bytes(channel, offset, length, what, size);
        }
    }
}
