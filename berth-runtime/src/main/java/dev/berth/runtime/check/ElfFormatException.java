package dev.berth.runtime.check;

import java.io.IOException;

/** A file that starts like an ELF file but cannot be read as one: truncated, lying about its sizes, or of a kind not read. */
public final class ElfFormatException extends IOException {
    private final boolean unsupportedKind;

    ElfFormatException(String message) {
        this(message, false);
    }

    ElfFormatException(String message, boolean unsupportedKind) {
        super(message);
        this.unsupportedKind = unsupportedKind;
    }

    /** A well-formed file of a kind berth does not read (32-bit, big-endian), as multilib images carry: not a defect of the image. */
    public boolean unsupportedKind() {
        return unsupportedKind;
    }
}
