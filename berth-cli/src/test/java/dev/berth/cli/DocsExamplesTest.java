package dev.berth.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every documentation example fenced as {@code ```sh tested} in README.md and docs/, so the
 * examples users copy are known to work. Each runs in bash with -e in a fresh directory, with a
 * {@code berth} on the PATH that runs this build, and logins kept in the example's own directory.
 */
class DocsExamplesTest {
    private static final Pattern TESTED_BLOCK = Pattern.compile("```sh tested\\n(.*?)```", Pattern.DOTALL);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> documentedExamplesRun() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher blocks = TESTED_BLOCK.matcher(Files.readString(page));
            int index = 0;
            while (blocks.find()) {
                String script = blocks.group(1);
                int number = ++index;
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(page) + " example " + number, () -> run(page, number, script)));
            }
        }
        assertThat(tests).as("tested examples in the docs").isNotEmpty();
        return tests.stream();
    }

    private void run(Path page, int number, String script) throws IOException {
        Path work = Files.createDirectories(temp.resolve(page.getFileName() + "-" + number));
        Files.createSymbolicLink(work.resolve("scripts"), ROOT.resolve("scripts"));
        Path bin = Files.createDirectories(work.resolve(".bin"));
        Path berth = bin.resolve("berth");
        Files.writeString(berth, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "' "
                + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(berth, PosixFilePermissions.fromString("rwxr-xr-x"));
        Tools.Result result = Tools.run(work, Map.of(
                "PATH", bin + ":" + System.getenv("PATH"),
                "BERTH_DATA_DIR", work.resolve(".data").toString(),
                "XDG_CACHE_HOME", work.resolve(".cache").toString(),
                "DOCKER_CONFIG", work.resolve(".docker").toString()), List.of("bash", "-euo", "pipefail", "-c", script));
        assertThat(result.exitCode()).as("%s example %d failed:%n%s%n--- output ---%n%s%s", page.getFileName(), number,
                script, result.stdout(), result.stderr()).isZero();
    }
}
