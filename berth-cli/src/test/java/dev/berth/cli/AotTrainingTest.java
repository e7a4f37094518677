package dev.berth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's AOT training must get through every step, or the cache it records misses what users run. */
class AotTrainingTest {
    @TempDir
    Path temp;

    @Test
    void everyRequiredStepSucceedsAndNothingLandsOutsideTheWorkDirectory() throws Exception {
        Path work = Files.createDirectory(temp.resolve("work"));
        Path home = Files.createDirectory(temp.resolve("home"));
        Tools.Result result = Tools.run(temp, Map.of("BERTH_CACHE_DIR", work.resolve("cache").toString(), "HOME", home.toString()),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), AotTraining.class.getName(), work.toString()));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(work.resolve("data/store/refs.json")).content().contains("training");
        assertThat(work.resolve("export/index.json")).exists();
        try (var left = Files.list(home)) {
            assertThat(left).isEmpty();
        }
    }
}
