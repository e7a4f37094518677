package dev.berth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berth under the C locale, as many batch jobs run: Java could not name a file whose name is
 * not ASCII, so the launcher runs the JVM under C.UTF-8, and the container still gets the
 * caller's own locale.
 */
class LauncherLocaleTest {
    @Test
    void underTheCLocaleNonAsciiNamesWorkAndTheContainerKeepsTheCallersLocale(@TempDir Path temp) throws Exception {
        Path launcher = LaidOutDistribution.in(temp.resolve("dist"));
        Path base = UmociImages.busybox(temp.resolve("base"), "1", 0);
        Path context = Files.createDirectories(temp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM base:1\nCOPY . /files/\n");
        Files.writeString(context.resolve("Fő_tanúsítvány.pem"), "not ASCII\n");
        Map<String, String> environment = Map.of("PATH", "/usr/bin:/bin", "HOME", temp.toString(), "LANG", "C", "BERTH_AOT", "0",
                "BERTH_DATA_DIR", temp.resolve("data").toString(), "XDG_CACHE_HOME", temp.resolve("cache").toString());

        run(temp, environment, launcher.toString(), "copy", "oci:" + base + ":1", "berth:base:1");
        run(temp, environment, launcher.toString(), "build", "-t", "named:1", context.toString());
        String inside = run(temp, environment, launcher.toString(), "exec", "named:1", "busybox", "sh", "-c",
                "for f in /files/*; do echo \"${f#/files/}\"; done; echo LANG=$LANG; echo LC_ALL=${LC_ALL-unset}; env | busybox grep -c BERTH_CALLER || true");

        assertThat(new String(inside.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).lines())
                .contains("Fő_tanúsítvány.pem", "LANG=C", "LC_ALL=unset", "0");
    }

    /** Runs with exactly {@code environment}; returns the output, bytes as ISO-8859-1 chars. */
    private static String run(Path dir, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
