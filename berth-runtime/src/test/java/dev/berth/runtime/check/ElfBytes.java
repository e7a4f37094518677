package dev.berth.runtime.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal 64-bit little-endian x86-64 ELF executable written byte by byte: the ELF header, one
 * PT_NOTE program header, and a GNU property note with GNU_PROPERTY_X86_ISA_1_NEEDED, as
 * {@code gcc -march=x86-64-v3} with binutils >= 2.36 writes it.
 */
final class ElfBytes {
    static final int NOTE_OFFSET = 64 + 56;
    static final int NOTE_SIZE = 12 + 4 + 16;

    private ElfBytes() {
    }

    /** @param isaBits GNU_PROPERTY_X86_ISA_1_NEEDED's value: 1 baseline, 2 v2, 4 v3, 8 v4 */
    static byte[] withIsaNeeded(int isaBits) {
        ByteBuffer elf = ByteBuffer.allocate(NOTE_OFFSET + NOTE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        elf.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1)
                .putLong(32, 64).putLong(40, 0).putShort(52, (short) 64)
                .putShort(54, (short) 56).putShort(56, (short) 1).putShort(58, (short) 64).putShort(60, (short) 0);
        elf.putInt(64, 4).putInt(68, 4).putLong(72, NOTE_OFFSET).putLong(96, NOTE_SIZE).putLong(104, NOTE_SIZE).putLong(112, 8);
        elf.putInt(NOTE_OFFSET, 4).putInt(NOTE_OFFSET + 4, 16).putInt(NOTE_OFFSET + 8, 5)
                .put(NOTE_OFFSET + 12, (byte) 'G').put(NOTE_OFFSET + 13, (byte) 'N').put(NOTE_OFFSET + 14, (byte) 'U')
                .putInt(NOTE_OFFSET + 16, 0xc0008002).putInt(NOTE_OFFSET + 20, 4).putInt(NOTE_OFFSET + 24, isaBits);
        return elf.array();
    }
}
