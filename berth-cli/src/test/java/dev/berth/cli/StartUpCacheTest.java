package dev.berth.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's start-up caches (the JDK's AOT cache), as a new user meets them: a burst of
 * first commands trains each family's cache once, at idle priority, a training stops when asked
 * and leaves nothing, one that failed is not retried, and {@code berth system warm} trains on purpose.
 * Runs bin/berth from a distribution laid out as the release has it (bin/, lib/ of jars).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartUpCacheTest {
    @TempDir
    Path temp;
    private Path launcher;

    @BeforeAll
    void layOutADistribution(@TempDir Path dist) throws IOException {
        launcher = LaidOutDistribution.in(dist);
    }

    @Test
    void aBurstOfFirstCommandsTrainsEachFamilyOnceAtIdlePriority() throws Exception {
        Path cache = temp.resolve("burst-cache");
        List<Process> commands = new ArrayList<>();
        // the check: 20 commands started at once on a fresh account
        for (int i = 0; i < 10; i++) {
            commands.add(start(cache, "version"));
            commands.add(start(cache, "pull", "--help"));
        }
        Map<String, Integer> mostAtOnce = new HashMap<>();
        boolean sawIdlePriority = false;
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline) && !(cacheOf(cache, "all") && cacheOf(cache, "pull"))) {
            List<Training> running = withoutCacheWriters(trainings(cache));
            for (String family : List.of("all", "pull", "transfer")) {
                mostAtOnce.merge(family, (int) running.stream().filter(t -> t.family().equals(family)).count(), Math::max);
            }
            sawIdlePriority |= running.stream().anyMatch(t -> t.nice() == 19);
            Thread.sleep(50);
        }
        for (Process command : commands) {
            assertThat(command.waitFor()).isZero();
        }

        assertThat(cacheOf(cache, "all")).as("the cache of most commands was trained").isTrue();
        assertThat(cacheOf(cache, "pull")).as("the cache of pull was trained").isTrue();
        assertThat(mostAtOnce).as("trainings running at once, per family").containsEntry("all", 1).containsEntry("pull", 1);
        assertThat(sawIdlePriority).as("a training seen running at nice 19").isTrue();
        awaitNoTraining(cache);
        assertThat(leftovers(cache)).isEmpty();
    }

    @Test
    void aTrainingStopsWhenAskedAndLeavesNothing() throws Exception {
        Path cache = temp.resolve("stopped-cache");
        assertThat(start(cache, "version").waitFor()).isZero();
        Training training = awaitTraining(cache);

        ProcessHandle launcherShell = ProcessHandle.of(training.launcher()).orElseThrow();
        Tools.ok(temp, "kill", "-TERM", Long.toString(training.launcher()));

        awaitNoTraining(cache);
        // the shell removes the stopped training's files after its JVMs are gone
        launcherShell.onExit().get(60, TimeUnit.SECONDS);
        assertThat(cacheOf(cache, "all")).isFalse();
        assertThat(leftovers(cache)).as("files of the stopped training").isEmpty();
        assertThat(Files.exists(aotFile(cache, "all").resolveSibling(aotFile(cache, "all").getFileName() + ".failed")))
                .as("a stopped training counts as failed").isFalse();
    }

    @Test
    void aFailedTrainingIsNotRetriedButWarmTrainsAllFamilies() throws Exception {
        Path cache = temp.resolve("failed-cache");
        Path failed = Files.createDirectories(aotFile(cache, "all").getParent()).resolve(aotFile(cache, "all").getFileName() + ".failed");
        Files.createFile(failed);
        Files.setLastModifiedTime(failed, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(start(cache, "version").waitFor()).isZero();
        Thread.sleep(1000);
        assertThat(trainings(cache)).as("trainings after one had failed").isEmpty();

        Process warm = start(cache, "system", "warm");
        String out = new String(warm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(warm.waitFor()).as(out).isZero();
        assertThat(out).contains("Start-up caches are ready");
        for (String family : List.of("all", "pull", "transfer", "build")) {
            assertThat(cacheOf(cache, family)).as("cache of %s", family).isTrue();
        }
        assertThat(failed).doesNotExist();
        Process again = start(cache, "system", "warm");
        assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("the start-up cache for pull commands is up to date");
        assertThat(again.waitFor()).isZero();
    }

    /** A training JVM of this test's cache: its family, niceness, and the launcher shell that waits for it. */
    private record Training(long pid, String family, int nice, long launcher) {
    }

    private Process start(Path cache, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("BERTH_DATA_DIR", cache.resolveSibling(cache.getFileName() + "-data").toString());
        builder.environment().remove("BERTH_AOT");
        return builder.start();
    }

    private List<Training> trainings(Path cache) throws IOException {
        String marker = "-XX:AOTCacheOutput=" + cache.resolve("berth/aot") + "/";
        List<Training> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String commandLine;
                String stat;
                try {
                    commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int at = commandLine.indexOf(marker);
                if (at < 0) {
                    continue;
                }
                String output = commandLine.substring(at + marker.length()).split("\0")[0];
                String family = output.replaceAll("^.*-(all|pull|transfer|build)\\.aot\\..*$", "$1");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                found.add(new Training(Long.parseLong(process.getFileName().toString()), family,
                        Integer.parseInt(fields[16]), Long.parseLong(fields[1])));
            }
        }
        return found;
    }

    /**
     * The trainings less the JVMs they start to write their cache: the JDK writes an AOT cache in
     * a child JVM that repeats its parent's options, so one training shows as two processes then.
     */
    private static List<Training> withoutCacheWriters(List<Training> trainings) {
        Set<Long> trainingPids = trainings.stream().map(Training::pid).collect(Collectors.toSet());
        return trainings.stream().filter(training -> !trainingPids.contains(training.launcher())).toList();
    }

    private Training awaitTraining(Path cache) throws Exception {
        for (int i = 0; i < 600; i++) {
            List<Training> running = withoutCacheWriters(trainings(cache));
            if (!running.isEmpty()) {
                return running.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no training started within 30 s");
    }

    private void awaitNoTraining(Path cache) throws Exception {
        for (int i = 0; i < 1200 && !trainings(cache).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(trainings(cache)).as("trainings still running after 60 s").isEmpty();
    }

    private Path aotFile(Path cache, String family) throws IOException {
        Path dir = cache.resolve("berth/aot");
        String javaHome = Path.of(Tools.ok(temp, "env", "BERTH_PRINT_JAVA_HOME=1", launcher.toString()).stdout().strip())
                .getFileName().toString();
        String lib = launcher.getParent().getParent().resolve("lib").toString().replace('/', '_');
        return dir.resolve(javaHome + lib + "-" + family + ".aot");
    }

    private boolean cacheOf(Path cache, String family) throws IOException {
        return Files.isRegularFile(aotFile(cache, family));
    }

    /** Files a training leaves only while it runs: its output in the making, and the work directory's name. */
    private static List<String> leftovers(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("berth/aot"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".tmp") || name.endsWith(".log"))
                    .toList();
        }
    }
}
