package dev.berth.runtime.devices;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SharedObjectNameTest {
    @TempDir
    Path temp;

    @Test
    void aLibrarysSonameIsReadFromItsElfFileWhateverTheFileIsCalled() throws IOException {
        Path libz = CdiInjectionTest.realLibrary("libz.so.1");
        assertThat(libz.getFileName().toString()).isNotEqualTo("libz.so.1");
        Path renamed = Files.copy(libz, temp.resolve("renamed.so.9"));
        assertThat(SharedObjectName.of(renamed)).contains("libz.so.1");
    }

    @Test
    void aFileThatIsNoSharedLibraryHasNone() throws IOException {
        assertThat(SharedObjectName.of(Files.writeString(temp.resolve("libfake.so.1"), "fake"))).isEmpty();
        assertThat(SharedObjectName.of(Path.of("/bin/sh").toRealPath())).isEmpty();
        assertThat(SharedObjectName.of(temp.resolve("missing.so"))).isEmpty();
    }
}
