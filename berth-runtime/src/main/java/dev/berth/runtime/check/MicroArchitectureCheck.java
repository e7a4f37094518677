package dev.berth.runtime.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The x86-64 level the image's binaries declare they need (GNU_PROPERTY_X86_ISA_1_NEEDED, which
 * {@code -march=x86-64-v3} builds carry and glibc's loader enforces), against this CPU's. Reads
 * the program a run starts, libc, and the ELF files directly in the usual program and library
 * directories, at most {@link #MAX_FILES} of them, headers and notes only.
 */
final class MicroArchitectureCheck {
    static final String NAME = "x86-64 level";
    static final int MAX_FILES = 2000;

    private MicroArchitectureCheck() {
    }

    static Finding check(ImageFiles image, Optional<Path> program, String imageArchitecture, HostFacts host)
            throws IOException {
        if (!"amd64".equals(imageArchitecture) || !host.isX86()) {
            return Finding.info(NAME, "x86-64 levels concern amd64 images on x86-64 hosts; this is a " + imageArchitecture
                    + " image on an " + host.architecture() + " host");
        }
        Set<Path> files = new LinkedHashSet<>();
        program.ifPresent(files::add);
        image.libc().ifPresent(files::add);
        files.addAll(image.filesIn(ImageFiles.PROGRAM_DIRECTORIES, name -> true, MAX_FILES));
        files.addAll(image.filesIn(ImageFiles.LIBRARY_DIRECTORIES, name -> name.contains(".so"), MAX_FILES));
        X86Level cpu = host.x86Level();
        Optional<X86Level> highest = Optional.empty();
        Path neededBy = null;
        int read = 0;
        int otherKinds = 0;
        List<String> unreadable = new ArrayList<>();
        for (Path file : files.stream().limit(MAX_FILES).toList()) {
            try {
                Optional<ElfFile> elf = ElfFile.read(file);
                if (elf.isEmpty()) {
                    continue;
                }
                read++;
                Optional<X86Level> needed = X86Level.ofIsaNeeded(elf.get().isaNeeded());
                if (needed.isPresent() && (highest.isEmpty() || needed.get().compareTo(highest.get()) > 0)) {
                    highest = needed;
                    neededBy = file;
                }
            } catch (ElfFormatException malformed) {
                if (malformed.unsupportedKind()) {
                    otherKinds++;
                } else {
                    unreadable.add(image.inImage(file) + ": " + malformed.getMessage());
                }
            }
        }
        String scanned = read + " ELF files read" + (otherKinds > 0 ? ", " + otherKinds + " 32-bit or big-endian skipped" : "");
        if (highest.isPresent() && highest.get().compareTo(cpu) > 0) {
            return Finding.problem(NAME, image.inImage(neededBy) + " needs " + highest.get() + ", this CPU is " + cpu
                    + " (" + scanned + ")");
        }
        String verdict = (highest.isPresent() ? "binaries need at most " + highest.get() + " (" + image.inImage(neededBy) + ")"
                : "no binary declares a level") + "; this CPU is " + cpu + " (" + scanned + ")";
        if (!unreadable.isEmpty()) {
            return Finding.warning(NAME, unreadable.size() + " ELF file(s) could not be read, first " + unreadable.getFirst()
                    + "; the rest: " + verdict);
        }
        return Finding.ok(NAME, verdict);
    }
}
