package dev.berth.runtime.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CacheShelfTest {
    @TempDir
    Path shelfDirectory;

    private CacheShelf shelf() {
        return new CacheShelf(shelfDirectory, name -> name.startsWith("entry-") && !name.contains("."));
    }

    private CachedEntry onlyEntry() throws Exception {
        assertThat(shelf().entries()).hasSize(1);
        return shelf().entries().getFirst();
    }

    @Test
    void anEntryInUseIsKeptUntilTheUseEnds() throws Exception {
        Path entry = Files.createDirectory(shelfDirectory.resolve("entry-a"));
        try (CacheShelf.Use ignored = CacheShelf.use(entry)) {
            assertThat(shelf().remove(onlyEntry())).as("removed while in use").isFalse();
        }
        assertThat(shelf().remove(onlyEntry())).isTrue();
        assertThat(shelfDirectory).isEmptyDirectory();
    }

    @Test
    void anEntryHandedOverIsKeptWhileTheProcessThatHoldsItLives() throws Exception {
        Path entry = Files.createDirectory(shelfDirectory.resolve("entry-b"));
        Process holder = new ProcessBuilder("sleep", "60").start();
        try {
            Path held = CacheShelf.use(entry).handOver(holder.pid());
            assertThat(held.getFileName()).hasToString("entry-b.held-by-" + holder.pid());
            assertThat(shelf().remove(onlyEntry())).as("removed while its holder lives").isFalse();
            assertThat(entry).isDirectory();
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(shelf().remove(onlyEntry())).as("removed once its holder has ended").isTrue();
        assertThat(shelfDirectory).as("the entry, its marker and the holder's file").isEmptyDirectory();
    }
}
