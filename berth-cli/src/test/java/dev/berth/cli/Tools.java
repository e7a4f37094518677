package dev.berth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs third-party programs (umoci, skopeo, ...) for tests; a missing program fails the test with its name. */
public final class Tools {
    private Tools() {
    }

    /** What a finished process printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    public static Result run(Path workDir, Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            var stdout = process.inputReader(StandardCharsets.UTF_8);
            var stderr = process.errorReader(StandardCharsets.UTF_8);
            var errText = new StringBuilder();
            Thread errReader = Thread.ofVirtual().start(() -> stderr.lines().forEach(l -> errText.append(l).append('\n')));
            String out = stdout.lines().reduce("", (a, b) -> a + b + "\n");
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 5 minutes");
            }
            errReader.join();
            return new Result(process.exitValue(), out, errText.toString());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + " (is it installed? scripts/test installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result run(Path workDir, String... command) {
        return run(workDir, Map.of(), List.of(command));
    }

    public static Result ok(Path workDir, String... command) {
        return run(workDir, command).assertSuccess(String.join(" ", command));
    }
}
