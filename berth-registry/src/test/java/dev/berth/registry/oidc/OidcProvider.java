package dev.berth.registry.oidc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider (npm {@code oidc-provider}, run by node from
 * {@code oidc/provider.mjs}) on a free loopback port, with one client {@code berth} and the people
 * alice (group {@code lab-staff}) and carol (no groups). scripts/test installs the package under
 * {@code target/test-tools/npm}; {@code -Dberth.test.npm=DIR} names another place.
 */
public final class OidcProvider implements AutoCloseable {
    public static final String CLIENT_ID = "berth";
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Process process;
    private final String issuer;
    private final Path log;

    private OidcProvider(Process process, String issuer, Path log) {
        this.process = process;
        this.issuer = issuer;
        this.log = log;
    }

    /**
     * Starts the provider with the client's secret and redirect URI (a loopback URI, which the
     * provider matches on any port); its output goes to {@code provider.log} in {@code directory}.
     */
    public static OidcProvider start(Path directory, String clientSecret, String redirectUri)
            throws IOException, InterruptedException {
        Path script = directory.resolve("provider.mjs");
        try (InputStream in = OidcProvider.class.getResourceAsStream("/oidc/provider.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = directory.resolve("provider.log");
        Process process;
        try {
            process = new ProcessBuilder("node", script.toString(), modules().toString(), clientSecret, redirectUri)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("node is not installed (scripts/test needs nodejs 20 or later): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            Optional<String> port = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("listening ")).map(line -> line.substring("listening ".length()))
                    .findFirst();
            if (port.isPresent()) {
                return new OidcProvider(process, "http://127.0.0.1:" + port.get().strip(), log);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException("the OIDC provider did not start within " + READY_WITHIN + ":\n" + Files.readString(log));
    }

    /** Where node finds the {@code oidc-provider} package. */
    private static Path modules() throws IOException {
        String configured = System.getProperty("berth.test.npm");
        if (configured != null) {
            return Path.of(configured, "node_modules");
        }
        // Tests run in a module's folder; the repository root is the folder with scripts/test.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path modules = dir.resolve("target/test-tools/npm/node_modules");
            if (Files.isRegularFile(dir.resolve("scripts/test")) && Files.isDirectory(modules.resolve("oidc-provider"))) {
                return modules;
            }
        }
        throw new IOException("npm oidc-provider is not installed: run scripts/test, or"
                + " npm install --prefix target/test-tools/npm oidc-provider@9.13.3 in the repository root");
    }

    /** {@code http://127.0.0.1:PORT}, as its discovery document and ID tokens say. */
    public String issuer() {
        return issuer;
    }

    /** Someone at a browser, signing in to this provider as {@code login}. */
    public OidcPerson person(String login) {
        return new OidcPerson(login);
    }

    /** What the provider printed, for failure messages. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
