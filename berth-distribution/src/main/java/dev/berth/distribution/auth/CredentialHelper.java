package dev.berth.distribution.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.distribution.RegistryException;
import dev.berth.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker-credential-NAME} program, as named by a config file's {@code credsStore} or
 * {@code credHelpers}: {@code get}, {@code store} and {@code erase} with the server on stdin.
 */
public final class CredentialHelper {
    private static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_OUTPUT = 1 << 16;

    private final String name;

    public CredentialHelper(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new RegistryException("CONFIG_INVALID", "invalid credential helper name \"" + name + "\"");
        }
        this.name = name;
    }

    public String program() {
        return "docker-credential-" + name;
    }

    public Optional<Credentials> get(String server) throws IOException {
        Result result = run("get", server);
        if (result.exitCode() != 0) {
            // Helpers say "credentials not found" with a failure status; that is an ordinary miss.
            return Optional.empty();
        }
        JsonNode json = Json.tree(result.output(), "output of " + program());
        String user = json.path("Username").asText("");
        String secret = json.path("Secret").asText("");
        return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
    }

    public void store(String server, Credentials credentials) throws IOException {
        String input = Json.mapper().writeValueAsString(Map.of("ServerURL", server,
                "Username", credentials.username(), "Secret", credentials.secret()));
        requireSuccess("store", run("store", input));
    }

    public boolean erase(String server) throws IOException {
        return run("erase", server).exitCode() == 0;
    }

    private void requireSuccess(String action, Result result) {
        if (result.exitCode() != 0) {
            throw new RegistryException("CREDENTIAL_HELPER_FAILED", program() + " " + action + " failed with status "
                    + result.exitCode());
        }
    }

    private record Result(int exitCode, byte[] output) {
    }

    private Result run(String action, String input) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(program(), action).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new RegistryException("CREDENTIAL_HELPER_FAILED", "cannot run " + program()
                    + " (named in a credentials file): is it installed and on PATH?", e);
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException helperDidNotRead) {
            // Some helpers answer without reading their input (erase of an unknown server, say):
            // their exit status, not the closed pipe, says how it went.
        }
        byte[] output;
        try (InputStream stdout = process.getInputStream()) {
            output = stdout.readNBytes(MAX_OUTPUT);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RegistryException("CREDENTIAL_HELPER_FAILED", program() + " " + action + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + program());
        }
        return new Result(process.exitValue(), output);
    }
}
