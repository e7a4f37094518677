package dev.berth.distribution.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the real tools (skopeo, podman, htpasswd, keytool) with a time limit, failing loudly. */
public final class Programs {
    private Programs() {
    }

    public record Result(int exitCode, String output, String errors) {
    }

    public static Result run(List<String> command, String stdin, Map<String, String> environment) throws IOException {
        Path outputFile = Files.createTempFile("berth-test-", ".out");
        Path errorFile = Files.createTempFile("berth-test-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(outputFile.toFile())
                    .redirectError(errorFile.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(Duration.ofMinutes(3))) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish in 3 minutes");
            }
            return new Result(process.exitValue(), Files.readString(outputFile), Files.readString(errorFile));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(outputFile);
            Files.deleteIfExists(errorFile);
        }
    }

    /** Runs and requires exit status 0; returns the output. */
    public static String check(String... command) throws IOException {
        Result result = run(List.of(command), null, Map.of());
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed with " + result.exitCode() + ":\n"
                    + result.output() + result.errors());
        }
        return result.output();
    }

    /** {@code skopeo copy} between two transports, against plain-HTTP registries, with optional credentials. */
    public static String skopeoCopy(String from, String to, String... extraArgs) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "copy", "--all", "--preserve-digests",
                "--src-tls-verify=false", "--dest-tls-verify=false"));
        command.addAll(List.of(extraArgs));
        command.add(from);
        command.add(to);
        return check(command.toArray(String[]::new));
    }

    /** The digest of the manifest a registry serves for the reference, as skopeo fetches it. */
    public static dev.berth.oci.Digest skopeoDigest(String dockerReference, String... extraArgs) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
        command.addAll(List.of(extraArgs));
        command.add(dockerReference);
        return dev.berth.oci.Digest.of(check(command.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
    }

    /** A bcrypt htpasswd line, the only kind docker-registry accepts. */
    public static Path htpasswd(Path file, String user, String password) throws IOException {
        Files.writeString(file, check("htpasswd", "-Bbn", user, password).strip() + "\n");
        return file;
    }
}
