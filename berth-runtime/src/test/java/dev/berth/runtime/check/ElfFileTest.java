package dev.berth.runtime.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ELF reader against the host's own binaries (judged by binutils' readelf and getconf) and files written here. */
class ElfFileTest {
    private static final Path HOST_LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    private static final Path HOST_PROGRAM = Path.of("/usr/bin/ls");

    @TempDir
    Path temp;

    @Test
    void aWrittenFileDeclaringX86_64V3NeedsV3() throws IOException {
        Path file = Files.write(temp.resolve("v3"), ElfBytes.withIsaNeeded(0b0111));
        ElfFile elf = ElfFile.read(file).orElseThrow();
        assertThat(elf.machine()).isEqualTo(ElfFile.MACHINE_X86_64);
        assertThat(X86Level.ofIsaNeeded(elf.isaNeeded())).contains(X86Level.V3);
        assertThat(X86Level.ofIsaNeeded(ElfFile.read(Files.write(temp.resolve("v4"), ElfBytes.withIsaNeeded(8)))
                .orElseThrow().isaNeeded())).contains(X86Level.V4);
    }

    @Test
    void theHostsLibcDefinesTheGlibcVersionGetconfReports() throws Exception {
        String getconf = new String(new ProcessBuilder("getconf", "GNU_LIBC_VERSION").start().getInputStream().readAllBytes())
                .strip();
        ElfFile libc = ElfFile.read(HOST_LIBC).orElseThrow();
        assertThat("glibc " + GlibcVersion.highest(libc.versionsDefined()).orElseThrow()).isEqualTo(getconf);
        assertThat(libc.versionsDefined()).contains("GLIBC_2.2.5", "GLIBC_PRIVATE").doesNotContain("libc.so.6");
    }

    @Test
    void theLibrariesAndRunPathAreThoseReadelfReports() throws Exception {
        Path libmpi = Path.of("/usr/lib/x86_64-linux-gnu/libmpi.so.40").toRealPath();
        ElfFile library = ElfFile.read(libmpi).orElseThrow();
        String dynamic = readelf("-d", libmpi);
        List<String> needed = Pattern.compile("\\(NEEDED\\).*\\[([^]]+)]").matcher(dynamic).results().map(m -> m.group(1)).toList();
        List<String> runPath = Pattern.compile("\\((?:RUNPATH|RPATH)\\).*\\[([^]]+)]").matcher(dynamic).results()
                .flatMap(m -> Arrays.stream(m.group(1).split(":"))).toList();
        assertThat(library.libraries()).isEqualTo(needed).contains("libopen-pal.so.40");
        assertThat(library.runPath()).isEqualTo(runPath).isNotEmpty();
        assertThat(ElfFile.read(HOST_LIBC).orElseThrow().libraries()).containsExactly("ld-linux-x86-64.so.2");
    }

    @Test
    void aHostProgramNeedsTheLevelAndGlibcVersionsReadelfReports() throws Exception {
        ElfFile program = ElfFile.read(HOST_PROGRAM).orElseThrow();
        String notes = readelf("-n", HOST_PROGRAM);
        Matcher isa = Pattern.compile("x86 ISA needed: ([^\\n]*)").matcher(notes);
        Optional<X86Level> declared = isa.find()
                ? Arrays.stream(isa.group(1).split(",\\s*")).map(X86Level::parse).flatMap(Optional::stream).max(X86Level::compareTo)
                : Optional.empty();
        assertThat(X86Level.ofIsaNeeded(program.isaNeeded())).isEqualTo(declared);
        List<String> needed = Pattern.compile("Name: (GLIBC_[0-9.]+)").matcher(readelf("-V", HOST_PROGRAM)).results()
                .map(match -> match.group(1)).toList();
        assertThat(needed).isNotEmpty();
        assertThat(GlibcVersion.highest(program.versionsNeeded())).isEqualTo(GlibcVersion.highest(needed));
    }

    @Test
    void aTruncatedFileIsAClearErrorNotACrash() throws IOException {
        byte[] whole = ElfBytes.withIsaNeeded(4);
        Path headerOnly = Files.write(temp.resolve("header-only"), Arrays.copyOf(whole, 100));
        assertThatThrownBy(() -> ElfFile.read(headerOnly)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("the program headers").hasMessageContaining("outside the file's 100 bytes");
        Path halfAProgram = Files.write(temp.resolve("ls"), Arrays.copyOf(Files.readAllBytes(HOST_PROGRAM), 4096));
        assertThatThrownBy(() -> ElfFile.read(halfAProgram)).isInstanceOf(ElfFormatException.class)
                .hasMessageStartingWith("truncated or corrupt");
    }

    @Test
    void aNoteThatClaimsMoreBytesThanItsSegmentIsCorrupt() throws IOException {
        byte[] lying = ElfBytes.withIsaNeeded(4);
        lying[ElfBytes.NOTE_OFFSET + 4] = 100;
        Path file = Files.write(temp.resolve("lying"), lying);
        assertThatThrownBy(() -> ElfFile.read(file)).isInstanceOf(ElfFormatException.class)
                .hasMessage("corrupt: a note runs past the end of its segment");
    }

    @Test
    void thirtyTwoBitFilesAreSaidToBeUnsupportedAndScriptsAreNotElf() throws IOException {
        byte[] elf32 = ElfBytes.withIsaNeeded(1);
        elf32[4] = 1;
        Path file = Files.write(temp.resolve("elf32"), elf32);
        assertThatThrownBy(() -> ElfFile.read(file)).isInstanceOfSatisfying(ElfFormatException.class,
                error -> assertThat(error.unsupportedKind()).isTrue()).hasMessageContaining("32-bit");
        assertThat(ElfFile.read(Files.writeString(temp.resolve("script"), "#!/bin/sh\necho hi\n"))).isEmpty();
        assertThat(ElfFile.read(Files.writeString(temp.resolve("tiny"), "\u007fE"))).isEmpty();
    }

    private static String readelf(String option, Path file) throws Exception {
        Process process = new ProcessBuilder("readelf", "-W", option, file.toString()).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("readelf " + option).isZero();
        return out;
    }
}
