package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Several berth processes on one store at once leave it consistent, with nothing referenced missing. */
class ConcurrencyTest {
    private static final long LARGE_LAYER = 64L << 20;

    @TempDir
    static Path shared;
    static Path largeLayout;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildLargeImage() throws IOException {
        largeLayout = UmociImages.busybox(shared.resolve("large"), "latest", LARGE_LAYER);
    }

    private static String finish(Process process) throws InterruptedException, IOException {
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("process finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** Export reads and re-verifies every blob an image names, so it succeeds only for a complete image. */
    private void assertComplete(Berth berth, String name) {
        berth.ok("export", name, temp.resolve("check-" + name.replaceAll("[^a-z0-9]", "-")).toString());
    }

    @Test
    void twoImportsOfTheSameImageAtOnce() throws Exception {
        Berth berth = new Berth(temp.resolve("data"));
        Process first = berth.start(temp, "import", largeLayout.toString(), "--name", "same:a");
        Process second = berth.start(temp, "import", largeLayout.toString(), "--name", "same:b");
        finish(first);
        finish(second);
        assertThat(berth.ok("images").stdout()).contains("same").contains(" a ").contains(" b ");
        assertComplete(berth, "same:a");
        assertComplete(berth, "same:b");
    }

    @Test
    void pruneRacingImportsNeverRemovesWhatAnImportIsAboutToName() throws Exception {
        Berth berth = new Berth(temp.resolve("data"));
        for (int round = 0; round < 3; round++) {
            List<Process> processes = new ArrayList<>();
            processes.add(berth.start(temp, "import", largeLayout.toString(), "--name", "race:" + round));
            processes.add(berth.start(temp, "prune"));
            processes.add(berth.start(temp, "rmi", round == 0 ? "nothing-yet" : "race:" + (round - 1)));
            processes.add(berth.start(temp, "prune"));
            finish(processes.get(0));
            finish(processes.get(1));
            processes.get(2).waitFor(3, TimeUnit.MINUTES);
            finish(processes.get(3));
            assertComplete(berth, "race:" + round);
        }
        berth.ok("prune");
        assertComplete(berth, "race:2");
    }
}
