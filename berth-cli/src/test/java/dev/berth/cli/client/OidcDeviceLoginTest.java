package dev.berth.cli.client;

import dev.berth.cli.Berth;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.testing.Programs;
import dev.berth.oci.Json;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import dev.berth.registry.access.AccessConfig;
import dev.berth.registry.access.OidcConfig;
import dev.berth.registry.oidc.OidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth login HOST --device} as a researcher on a headless node does it: the command prints
 * a URL and a code, the person approves on the identity provider's pages (a real OIDC provider,
 * driven over HTTP), and the saved login is a personal access token that skopeo uses too.
 */
class OidcDeviceLoginTest {
    private static final String SECRET = "client-secret-for-tests";
    private static final Pattern PROMPT = Pattern.compile("Open (\\S+) and enter code (\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path shared;
    static OidcProvider provider;
    static RegistryServer registry;
    static String adminPassword;
    static Path seed;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        provider = OidcProvider.start(shared, SECRET, "http://127.0.0.1/auth/oidc/callback");
        OidcConfig oidc = OidcConfig.from(Map.of("issuer", provider.issuer(), "client-id", OidcProvider.CLIENT_ID,
                "client-secret", SECRET));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        registry = RegistryServer.start(RegistryConfig.defaults(shared.resolve("registry")).withListen("127.0.0.1", 0)
                .withAccessLog(false).withAuth(AccessConfig.defaults().withOidc(oidc)),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        adminPassword = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("admin password: "))
                .findFirst().orElseThrow().substring("admin password: ".length());
        admin("POST", "projects", Map.of("name", "lab", "class", "private"));
        admin("PUT", "projects/lab/members/alice", Map.of("role", "developer"));
        admin("POST", "projects", Map.of("name", "archive", "class", "internal"));
        seed = UmociImages.busybox(shared.resolve("seed"), "1", 100_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void anApprovedDeviceLoginSavesATokenThatSkopeoPushesAndPullsWithWhereTheRoleAllows() throws Exception {
        Path authFile = work.resolve("config.json");
        Process login = new Berth(work.resolve("data")).start(work, "login", "--device", "--authfile", authFile.toString(),
                host());
        BufferedReader output = login.inputReader(StandardCharsets.UTF_8);
        Matcher prompt = awaitPrompt(output);
        assertThat(prompt.group(1)).startsWith(provider.issuer());
        provider.person("alice").approveDevice(URI.create(prompt.group(1)), prompt.group(2));
        String rest = finish(login, output);
        assertThat(login.exitValue()).as(rest).isZero();
        assertThat(rest).contains("Login Succeeded");

        Credentials saved = savedLogin(authFile);
        assertThat(saved.username()).isEqualTo("alice");
        assertThat(saved.secret()).startsWith("berth_pat_");

        // skopeo logs in with the token as a password, as the brief for podman and docker users says.
        Path skopeoAuth = work.resolve("skopeo-auth.json");
        Programs.Result skopeoLogin = Programs.run(List.of("skopeo", "login", "--tls-verify=false", "--authfile",
                skopeoAuth.toString(), "-u", "alice", "--password-stdin", host()), saved.secret() + "\n", Map.of());
        assertThat(skopeoLogin.exitCode()).as(skopeoLogin.errors()).isZero();
        Programs.skopeoCopy("oci:" + seed + ":1", "docker://" + host() + "/lab/tool:1", "--authfile", skopeoAuth.toString());
        Programs.check("skopeo", "inspect", "--tls-verify=false", "--authfile", authFile.toString(),
                "docker://" + host() + "/lab/tool:1");
        Programs.Result elsewhere = Programs.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--authfile",
                skopeoAuth.toString(), "oci:" + seed + ":1", "docker://" + host() + "/archive/tool:1"), null, Map.of());
        assertThat(elsewhere.exitCode()).isNotZero();
        assertThat(elsewhere.errors()).containsIgnoringCase("denied");
    }

    @Test
    void aDeniedDeviceLoginFailsWithOneClearLineAndSavesNothing() throws Exception {
        Path authFile = work.resolve("config.json");
        Process login = new Berth(work.resolve("data")).start(work, "login", "--device", "--authfile", authFile.toString(),
                host());
        BufferedReader output = login.inputReader(StandardCharsets.UTF_8);
        Matcher prompt = awaitPrompt(output);
        provider.person("carol").denyDevice(URI.create(prompt.group(1)), prompt.group(2));
        String rest = finish(login, output);
        assertThat(login.exitValue()).isEqualTo(1);
        assertThat(rest.strip()).isEqualTo("berth: the device sign-in to " + host()
                + " was denied at the identity provider: run berth login " + host() + " --device again to retry");
        assertThat(authFile).doesNotExist();
    }

    private static String host() {
        return "127.0.0.1:" + registry.port();
    }

    /** Reads the command's output up to the line with the URL and code, for at most a minute. */
    private static Matcher awaitPrompt(BufferedReader output) throws Exception {
        CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            try {
                for (String line = output.readLine(); line != null && seen.size() < 100; line = output.readLine()) {
                    Matcher matcher = PROMPT.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                    seen.add(line);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new AssertionError("berth login --device printed no URL and code:\n" + String.join("\n", seen));
        });
        return found.get(60, TimeUnit.SECONDS);
    }

    /** Waits at most two minutes for the command and returns the rest of its output. */
    private static String finish(Process login, BufferedReader output) throws Exception {
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            StringBuilder text = new StringBuilder();
            output.lines().filter(line -> !line.startsWith("(or open ")).forEach(line -> text.append(line).append('\n'));
            return text.toString();
        });
        if (!login.waitFor(2, TimeUnit.MINUTES)) {
            login.destroyForcibly();
            throw new AssertionError("berth login --device did not finish in two minutes");
        }
        return rest.get(10, TimeUnit.SECONDS);
    }

    private static Credentials savedLogin(Path authFile) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, String>>> config = Json.read(Files.readAllBytes(authFile), Map.class, "auth file");
        String auth = config.get("auths").get(host()).get("auth");
        return Credentials.fromBasicToken(auth);
    }

    private static void admin(String method, String path, Object body) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/berth/v1/" + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 201);
    }
}
