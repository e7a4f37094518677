package dev.berth.runtime.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The image's glibc against the newest glibc symbol version the host's NVIDIA driver libraries
 * need: {@code --nv} binds those libraries into the container, where they load against the
 * image's libc, so an image older than the driver's build fails with "version `GLIBC_2.34' not found".
 */
final class GlibcCheck {
    static final String NAME = "glibc";

    private GlibcCheck() {
    }

    /** @param driverLibraries the host files {@code --nv} would bind into the container */
    static Finding check(ImageFiles image, List<Path> driverLibraries) throws IOException {
        if (driverLibraries.isEmpty()) {
            return Finding.info(NAME, "no NVIDIA driver libraries on this host");
        }
        Optional<GlibcVersion> needed = Optional.empty();
        Path neededBy = null;
        for (Path library : driverLibraries) {
            Optional<GlibcVersion> version = versionsOf(library, true);
            if (version.isPresent() && (needed.isEmpty() || version.get().compareTo(needed.get()) > 0)) {
                needed = version;
                neededBy = library;
            }
        }
        if (needed.isEmpty()) {
            return Finding.ok(NAME, "the host's " + driverLibraries.size() + " NVIDIA driver libraries need no glibc version");
        }
        String driver = "--nv's " + neededBy.getFileName() + " needs glibc " + needed.get();
        Optional<Path> libc = image.libc();
        if (libc.isEmpty()) {
            return Finding.warning(NAME, driver + "; the image has no glibc (libc.so.6), so --nv's libraries cannot load in it");
        }
        Optional<GlibcVersion> has = versionsOf(libc.get(), false);
        if (has.isEmpty()) {
            return Finding.warning(NAME, driver + "; the image's " + image.inImage(libc.get()) + " defines no GLIBC version");
        }
        String detail = driver + ", the image has glibc " + has.get();
        return has.get().compareTo(needed.get()) < 0 ? Finding.problem(NAME, detail + ": --nv will fail") : Finding.ok(NAME, detail);
    }

    /** The newest glibc version {@code file} needs (a driver library) or defines (libc.so.6); empty for an unreadable file. */
    private static Optional<GlibcVersion> versionsOf(Path file, boolean needed) throws IOException {
        try {
            return ElfFile.read(file).flatMap(elf -> GlibcVersion.highest(needed ? elf.versionsNeeded() : elf.versionsDefined()));
        } catch (ElfFormatException unreadable) {
            return Optional.empty();
        }
    }
}
