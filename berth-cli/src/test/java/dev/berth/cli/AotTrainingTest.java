package dev.berth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
        Tools.Result result = train(work, "all");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(work.resolve("data/store/refs.json")).content().contains("training");
        assertThat(work.resolve("export/index.json")).exists();
        assertNothingWrittenToHome();
    }

    @Test
    void thePullTrainingPullsFromARegistryAnotherJvmServesAndFilled() throws Exception {
        Path work = Files.createDirectory(temp.resolve("work"));
        Tools.Result result = train(work, "pull");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(work.resolve("data/store/refs.json")).content().contains("training/image");
        assertThat(temp.resolve("classes.log")).as("only the pull ran in this JVM").content()
                .contains("dev.berth.distribution.http.Http1Client ")
                .doesNotContain("org.eclipse.jetty.server.Server ", "dev.berth.distribution.RegistrySink ",
                        "com.fasterxml.jackson.databind.ObjectMapper ");
    }

    @Test
    void theTransferTrainingMovesAnImageThroughARegistryInAnotherJvm() throws Exception {
        Path work = Files.createDirectory(temp.resolve("work"));
        Tools.Result result = train(work, "transfer");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(work.resolve("pulled/store/refs.json")).content().contains("training/image");
        assertThat(work.resolve("copied/index.json")).exists();
        assertThat(work.resolve("export/index.json")).exists();
        assertThat(temp.resolve("classes.log")).as("the registry ran in its own JVM").content()
                .contains("dev.berth.distribution.http.Http1Client ").doesNotContain("org.eclipse.jetty.server.Server ");
        assertNothingWrittenToHome();
    }

    @Test
    void theBuildTrainingBuildsTheImageWithAndWithoutItsCache() throws Exception {
        Path work = Files.createDirectory(temp.resolve("work"));
        Tools.Result result = train(work, "build");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(work.resolve("data/store/refs.json")).content().contains("trained");
        assertThat(temp.resolve("classes.log")).as("the build's own classes are in what it trains").content()
                .contains("dev.berth.build.StepCache ", "dev.berth.build.provenance.BuildProvenance ");
        assertNothingWrittenToHome();
    }

    private void assertNothingWrittenToHome() throws IOException {
        try (var left = Files.list(temp.resolve("home"))) {
            assertThat(left).as("files the training left in HOME").isEmpty();
        }
    }

    /** Runs the training of {@code family} as the launcher does, logging which classes this JVM loads. */
    private Tools.Result train(Path work, String family) throws IOException {
        Path home = Files.createDirectory(temp.resolve("home"));
        return Tools.run(temp, Map.of("BERTH_CACHE_DIR", work.resolve("cache").toString(),
                        "XDG_CONFIG_HOME", work.resolve("config").toString(), "HOME", home.toString()),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                        "-Duser.home=" + home, "-Xlog:class+load:file=" + temp.resolve("classes.log"),
                        "-cp", System.getProperty("java.class.path"), AotTraining.class.getName(), work.toString(), family));
    }
}
