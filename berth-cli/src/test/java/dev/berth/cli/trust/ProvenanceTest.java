package dev.berth.cli.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.testing.Programs;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import dev.berth.registry.access.AccessConfig;
import dev.berth.trust.AttestationReferrer;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.SigningKey;
import dev.berth.trust.SigstoreBundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provenance, who and how: berth serve attests every image push with its own key (judged by npm
 * {@code @sigstore/verify} with the key the registry publishes), and {@code berth provenance}
 * shows the pushes, the signatures it can check, and refuses a push attestation forged by a
 * pusher's own key.
 */
class ProvenanceTest {
    private static final String PASSWORD = "staff-key-password";

    @TempDir
    static Path shared;
    static RegistryServer registry;
    static String host;
    static String adminPassword;
    static Path seed;
    static HttpClient http;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        registry = RegistryServer.start(RegistryConfig.defaults(shared.resolve("registry")).withListen("127.0.0.1", 0)
                .withAccessLog(false).withAuth(AccessConfig.defaults()), new PrintStream(console, true, StandardCharsets.UTF_8));
        host = "127.0.0.1:" + registry.port();
        adminPassword = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("admin password: "))
                .findFirst().orElseThrow().substring("admin password: ".length());
        seed = UmociImages.busybox(shared.resolve("seed"), "1", 1000);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        http.close();
    }

    @Test
    void theRegistryAttestsEachPushAndProvenanceShowsItWithTheSignatures() throws Exception {
        String image = host + "/admin/app:1";
        push("admin/app:1");
        Digest digest = Programs.skopeoDigest("docker://" + image, "--creds", "admin:" + adminPassword);
        String token = token("repository:admin/app:pull,push");

        JsonNode referrers = Json.tree(get("/v2/admin/app/referrers/" + digest, token), "referrers").path("manifests");
        assertThat(referrers).hasSize(1);
        byte[] bundle = bundleOf(referrers.get(0), token);
        Path bundleFile = Files.write(work.resolve("push.json"), bundle);
        Path registryKey = Files.write(work.resolve("registry.pub"), get("/berth/v1/attestation-key", null));
        Path otherKey = Files.writeString(work.resolve("other.pub"), SigningKey.generate().publicKey().pem());
        assertThat(SigstoreVerify.run(bundleFile, registryKey, digest).exitCode()).isZero();
        assertThat(SigstoreVerify.run(bundleFile, otherKey, digest).exitCode()).isNotZero();

        Tools.Result shown = berth("provenance", image);
        shown.assertSuccess("berth provenance");
        assertThat(shown.stdout()).containsPattern("(?m)^  pushed\\s+\\S+ by admin \\(user\\) from 127\\.0\\.0\\.1 with skopeo/\\S+"
                + " as 1 \\[signed by the registry " + host.replace(".", "\\.") + " \\(sha256:");

        Berth.process(work, Map.of("BERTH_KEY_PASSWORD", PASSWORD), "key", "generate", "-o", work.resolve("staff").toString())
                .assertSuccess("key generate");
        Berth.process(work, Map.of("BERTH_KEY_PASSWORD", PASSWORD), "sign", image, "--key", work.resolve("staff.key").toString(),
                "--authfile", authFile().toString()).assertSuccess("berth sign");
        assertThat(berth("provenance", image).stdout()).contains("1 cosign signature(s) not checked")
                .containsPattern("(?m)^  signed\\s+refused \\(referrer sha256:\\S+\\): no key given");
        Tools.Result checked = berth("provenance", image, "--key", work.resolve("staff.pub").toString());
        assertThat(checked.stdout()).containsPattern("(?m)^  signed\\s+cosign signature tag \\[signed by staff\\.pub")
                .containsPattern("(?m)^  signed\\s+referrer sha256:\\S+ \\[signed by staff\\.pub")
                .doesNotContain("not checked");
        JsonNode json = Json.tree(berth("provenance", image, "--json").stdout().getBytes(StandardCharsets.UTF_8), "provenance");
        assertThat(json.path("provenance")).anySatisfy(entry -> {
            assertThat(entry.path("kind").asText()).isEqualTo("pushed");
            assertThat(entry.path("predicate").path("pusher").path("name").asText()).isEqualTo("admin");
        });
    }

    @Test
    void aPushAttestationSignedByAnyoneButTheRegistryIsRefused() throws Exception {
        String image = host + "/admin/forged:1";
        push("admin/forged:1");
        Digest digest = Programs.skopeoDigest("docker://" + image, "--creds", "admin:" + adminPassword);
        String token = token("repository:admin/forged:pull,push");
        JsonNode root = Json.tree(get("/v2/admin/forged/manifests/1", token), "manifest");
        Descriptor subject = Descriptor.of(root.path("mediaType").asText(MediaType.OCI_MANIFEST), digest,
                get("/v2/admin/forged/manifests/1", token).length);
        byte[] forged = SigstoreBundle.sign(new InTotoStatement("admin/forged", digest, InTotoStatement.BERTH_PUSH,
                Json.mapper().createObjectNode().put("pushedAt", "2020-01-01T00:00:00Z")
                        .set("pusher", Json.mapper().createObjectNode().put("name", "someone-else").put("kind", "user"))),
                SigningKey.generate());
        AttestationReferrer referrer = AttestationReferrer.signed(subject, forged, InTotoStatement.BERTH_PUSH);
        upload("admin/forged", referrer.config(), token);
        upload("admin/forged", referrer.content(), token);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/admin/forged/manifests/"
                        + referrer.manifest().digest())).header("Authorization", "Bearer " + token)
                .header("Content-Type", MediaType.OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(referrer.manifest().bytesUnsafe())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        String shown = berth("provenance", image).stdout();
        assertThat(shown).containsPattern("(?m)^  pushed\\s+refused \\(referrer " + referrer.manifest().digest()
                + "\\): not signed by an accepted key").containsPattern("(?m)^  pushed\\s+\\S+ by admin \\(user\\)")
                .doesNotContain("someone-else");
    }

    private Tools.Result berth(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--authfile", authFile().toString()));
        return new Berth(work.resolve("data")).run(all.toArray(String[]::new));
    }

    private Path authFile() {
        Path file = work.resolve("auth.json");
        if (!Files.exists(file)) {
            InputStream original = System.in;
            System.setIn(new ByteArrayInputStream((adminPassword + "\n").getBytes(StandardCharsets.UTF_8)));
            try {
                new Berth(work.resolve("data")).run("login", "--authfile", file.toString(), "-u", "admin", "--password-stdin", host)
                        .assertSuccess("berth login");
            } finally {
                System.setIn(original);
            }
        }
        return file;
    }

    private void push(String repository) throws Exception {
        Programs.Result pushed = Programs.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds",
                "admin:" + adminPassword, "oci:" + seed + ":1", "docker://" + host + "/" + repository), null, Map.of());
        assertThat(pushed.exitCode()).as(pushed.errors()).isZero();
    }

    private static String token(String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host
                        + "/auth/token?service=berth&scope=" + scope)).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return Json.tree(response.body(), "token").path("token").asText();
    }

    private static byte[] get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("Accept", MediaType.OCI_INDEX + ", " + MediaType.OCI_MANIFEST + ", */*");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static byte[] bundleOf(JsonNode referrer, String token) throws Exception {
        String repository = "admin/app";
        JsonNode manifest = Json.tree(get("/v2/" + repository + "/manifests/" + referrer.path("digest").asText(), token), "referrer");
        return get("/v2/" + repository + "/blobs/" + manifest.path("layers").get(0).path("digest").asText(), token);
    }

    private static void upload(String repository, byte[] content, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository
                        + "/blobs/uploads/?digest=" + Digest.of(content))).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
