package dev.berth.cli.registry;

import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code berth serve} and {@code berth registry gc} as users run them: separate processes, signals. */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    /** Starts {@code berth serve} and returns the URL it prints. */
    private static String awaitUrl(Process serve) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                Thread.ofVirtual().start(() -> drain(out));
                return matcher.group(1);
            }
        }
        throw new AssertionError("berth serve exited without printing its URL");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe from filling with the access log
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    private static HttpResponse<String> send(String method, String url, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnTheRequestedPortStopsOnSigtermAndKeepsItsData() throws Exception {
        Berth berth = new Berth(temp.resolve("data"));
        Path root = temp.resolve("registry root");
        byte[] blob = "hello registry".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));

        Process serve = berth.start(temp, "serve", "--listen", "127.0.0.1:0", "--root", root.toString());
        String url = awaitUrl(serve);
        assertThat(send("GET", url + "/v2/", null).statusCode()).isEqualTo(200);
        assertThat(send("POST", url + "/v2/demo/blobs/uploads/?digest=" + digest, blob).statusCode()).isEqualTo(201);

        Tools.Result whileRunning = berth.run("registry", "gc", "--root", root.toString(), "--grace", "0");
        assertThat(whileRunning.exitCode()).isEqualTo(1);
        assertThat(whileRunning.stderr()).contains("in use by another berth process");

        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isIn(0, 143);

        Process again = berth.start(temp, "serve", "--listen", "127.0.0.1:0", "--root", root.toString());
        try {
            String second = awaitUrl(again);
            HttpResponse<String> get = send("GET", second + "/v2/demo/blobs/" + digest, null);
            assertThat(get.body()).isEqualTo("hello registry");
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }

        Tools.Result gc = berth.ok("registry", "gc", "--root", root.toString(), "--grace", "0");
        assertThat(gc.stdout()).contains("Deleted 1 blobs");
    }

    @Test
    void defaultsToTheDataDirectoryAndReadsAConfigFile() throws Exception {
        Berth berth = new Berth(temp.resolve("data"));
        Path config = temp.resolve("registry.toml");
        Files.writeString(config, """
                # berth serve config
                listen = "127.0.0.1:0"
                delete-enabled = false
                gc-interval = "0"
                """);
        Process serve = berth.start(temp, "serve", "--config", config.toString());
        try {
            String url = awaitUrl(serve);
            HttpResponse<String> delete = send("DELETE", url + "/v2/demo/manifests/latest", null);
            assertThat(delete.statusCode()).isEqualTo(405);
            assertThat(delete.body()).contains("UNSUPPORTED");
            assertThat(temp.resolve("data/registry/blobs")).isDirectory();
        } finally {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void badListenAddressIsAUsageError() {
        Tools.Result result = new Berth(temp).run("serve", "--listen", "nowhere");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("expected HOST:PORT");
        Tools.Result config = new Berth(temp).run("serve", "--config", temp.resolve("missing.toml").toString());
        assertThat(config.exitCode()).isEqualTo(1);
        assertThat(config.stderr()).contains("does not exist");
    }
}
