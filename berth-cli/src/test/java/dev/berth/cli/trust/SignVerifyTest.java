package dev.berth.cli.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Berth;
import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.testing.Programs;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berth key generate, sign and verify against berth serve on 127.0.0.1, judged by an independent
 * implementation of cosign's formats (cosign_peer.py: Python cryptography + PyNaCl), since Debian's
 * skopeo and podman are built with sigstore disabled, and by npm @sigstore/verify for the OCI 1.1
 * referrer bundle. Each attack must be refused with one line.
 */
class SignVerifyTest {
    private static final String PASSWORD = "staff-key-password";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    static Path shared;
    static RegistryServer server;
    static String host;
    static Path peer;
    static HttpClient http;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = RegistryServer.start(RegistryConfig.defaults(shared.resolve("registry")).withListen("127.0.0.1", 0));
        host = "127.0.0.1:" + server.port();
        Path first = UmociImages.busybox(shared.resolve("first"), "1", 1000);
        Path second = UmociImages.busybox(shared.resolve("second"), "2", 2000);
        Programs.skopeoCopy("oci:" + first + ":1", "docker://" + host + "/staff/tool:1");
        Programs.skopeoCopy("oci:" + second + ":2", "docker://" + host + "/staff/tool:2");
        peer = shared.resolve("cosign_peer.py");
        try (InputStream script = SignVerifyTest.class.getResourceAsStream("cosign_peer.py")) {
            Files.write(peer, script.readAllBytes());
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        server.close();
        http.close();
    }

    /** The image under {@code tag} in a repository of its own, so that tests do not see each other's signatures. */
    private static String image(String repository, String tag) throws IOException {
        Programs.skopeoCopy("docker://" + host + "/staff/tool:" + tag, "docker://" + host + "/" + repository + ":" + tag);
        return host + "/" + repository + ":" + tag;
    }

    private Path generateKey(String name) {
        Tools.Result result = Berth.process(work, Map.of("BERTH_KEY_PASSWORD", PASSWORD), "key", "generate",
                "-o", work.resolve(name).toString());
        result.assertSuccess("berth key generate");
        return work.resolve(name);
    }

    private Tools.Result withPassword(String password, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return new Berth(work.resolve("data")).run(args);
        } finally {
            System.setIn(original);
        }
    }

    private void sign(String reference, Path keyPrefix) {
        withPassword(PASSWORD, "sign", reference, "--key", keyPrefix + ".key").assertSuccess("berth sign");
    }

    private Tools.Result verify(String reference, String... keyArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", reference));
        args.addAll(List.of(keyArgs));
        return new Berth(work.resolve("data")).run(args.toArray(String[]::new));
    }

    /**
     * The refusal of {@code berth exec} under a policy that wants a signature by {@code key} on
     * every image of the registry: the run policy must refuse what verify refuses.
     */
    private String refusedByThePolicy(String reference, Path key) throws IOException {
        Path config = Files.createDirectories(work.resolve("config/berth"));
        Files.writeString(config.resolve("policy.toml"), "default = \"reject\"\n[scope.\"" + host + "\"]\n"
                + "rule = \"signed-by\"\nkeys = [\"" + key + ".pub\"]\n");
        Tools.Result run = Berth.process(work, Map.of("BERTH_DATA_DIR", work.resolve("data").toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString(), "XDG_CACHE_HOME", work.resolve("cache").toString()),
                "exec", reference, "true");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("the execution policy refuses to run");
        return run.stderr();
    }

    private static Programs.Result peer(String command, String repository, String tag, Path key, String stdin)
            throws IOException {
        return Programs.run(List.of("/usr/bin/python3", peer.toString(), command, host, repository, tag, key.toString()),
                stdin, Map.of());
    }

    @Test
    void keyFilesAreCosignsFormatsAndOnlyTheOwnerReadsThePrivateOne() throws Exception {
        Path key = generateKey("staff");

        assertThat(Files.readString(Path.of(key + ".key"))).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----");
        assertThat(Files.readString(Path.of(key + ".pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Files.getPosixFilePermissions(Path.of(key + ".key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Tools.Result again = Berth.process(work, Map.of("BERTH_KEY_PASSWORD", PASSWORD), "key", "generate", "-o", key.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr() + again.stdout()).contains("already exists");
    }

    @Test
    void theIndependentVerifierAcceptsBerthsSignatureAndBerthReportsIt() throws Exception {
        Path key = generateKey("staff");
        String reference = image("verified/tool", "1");

        sign(reference, key);

        Programs.Result judged = peer("verify", "verified/tool", "1", Path.of(key + ".pub"), null);
        assertThat(judged.exitCode()).as(judged.output() + judged.errors()).isZero();
        Tools.Result verified = verify(reference, "--key", key + ".pub");
        assertThat(verified.exitCode()).as(verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("signed by staff.pub");
        Tools.Result json = verify(reference, "--keys", work.toString(), "--json");
        JsonNode report = Json.tree(json.stdout().getBytes(StandardCharsets.UTF_8), "verify --json");
        assertThat(report.get("verified").asBoolean()).isTrue();
        assertThat(report.get("signatures").get(0).get("key").asText()).isEqualTo("staff.pub");
        assertThat(report.get("signatures").get(0).get("signedDigest").asText())
                .isEqualTo(Programs.skopeoDigest("docker://" + reference).toString());
    }

    @Test
    void berthAcceptsASignatureMadeOutsideBerthWithAKeyBerthGenerated() throws Exception {
        Path key = generateKey("staff");
        String reference = image("peer-signed/tool", "1");

        Programs.Result signed = peer("sign", "peer-signed/tool", "1", Path.of(key + ".key"), PASSWORD + "\n");
        assertThat(signed.exitCode()).as(signed.output() + signed.errors()).isZero();

        Tools.Result verified = verify(reference, "--key", key + ".pub");
        assertThat(verified.exitCode()).as(verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("signed by staff.pub").contains("cosign_peer.py");
    }

    @Test
    void anUnsignedImageFailsWithOneLine() throws Exception {
        Path key = generateKey("staff");
        String reference = image("unsigned/tool", "1");

        Tools.Result refused = verify(reference, "--key", key + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr().strip()).startsWith("berth: no signature for ").doesNotContain("\n");
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedByBerthAndTheIndependentVerifier() throws Exception {
        Path staff = generateKey("staff");
        Path intruder = generateKey("intruder");
        String reference = image("other-key/tool", "1");
        sign(reference, intruder);

        Tools.Result refused = verify(reference, "--key", staff + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("not signed by an accepted key");
        assertThat(peer("verify", "other-key/tool", "1", Path.of(staff + ".pub"), null).exitCode()).isEqualTo(1);
        assertThat(refusedByThePolicy(reference, staff)).contains("not signed by an accepted key");
    }

    @Test
    void aSignatureMovedToAnotherDigestIsRefused() throws Exception {
        Path key = generateKey("staff");
        String signed = image("moved/tool", "1");
        String other = image("moved/tool", "2");
        sign(signed, key);
        Digest signedDigest = Programs.skopeoDigest("docker://" + signed);
        Digest otherDigest = Programs.skopeoDigest("docker://" + other);
        byte[] signatures = get("/v2/moved/tool/manifests/" + sigTag(signedDigest), OCI_MANIFEST);
        put("/v2/moved/tool/manifests/" + sigTag(otherDigest), signatures);

        Tools.Result refused = verify(other, "--key", key + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("it signs " + signedDigest + ", not " + otherDigest);
        assertThat(peer("verify", "moved/tool", "2", Path.of(key + ".pub"), null).exitCode()).isEqualTo(1);
        assertThat(refusedByThePolicy(other, key)).contains("it signs " + signedDigest + ", not " + otherDigest);
    }

    @Test
    void aTagMovedAfterSigningIsNoLongerVerified() throws Exception {
        Path key = generateKey("staff");
        String reference = image("retagged/tool", "1");
        sign(reference, key);
        assertThat(verify(reference, "--key", key + ".pub").exitCode()).isZero();

        Programs.skopeoCopy("docker://" + host + "/staff/tool:2", "docker://" + reference);

        Tools.Result refused = verify(reference, "--key", key + ".pub");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("no signature for");
        assertThat(refusedByThePolicy(reference, key)).contains("it has no signature");
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        Path key = generateKey("staff");
        String reference = image("tampered/tool", "1");
        sign(reference, key);
        Digest digest = Programs.skopeoDigest("docker://" + reference);
        ObjectNode signatures = (ObjectNode) Json.tree(get("/v2/tampered/tool/manifests/" + sigTag(digest), OCI_MANIFEST), "sig");
        ObjectNode layer = (ObjectNode) signatures.get("layers").get(0);
        ObjectNode payload = (ObjectNode) Json.tree(get("/v2/tampered/tool/blobs/" + layer.get("digest").asText(), "*/*"), "payload");
        ((ObjectNode) payload.get("critical").get("identity")).put("docker-reference", "evil.example/tool");
        byte[] altered = Json.write(payload);
        Digest alteredDigest = pushBlob("tampered/tool", altered);
        layer.put("digest", alteredDigest.toString()).put("size", altered.length);
        put("/v2/tampered/tool/manifests/" + sigTag(digest), Json.write(signatures));
        dropReferrerSignatures("tampered/tool", digest);

        Tools.Result refused = verify(reference, "--key", key + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("not signed by an accepted key");
        assertThat(peer("verify", "tampered/tool", "1", Path.of(key + ".pub"), null).exitCode()).isEqualTo(1);
        assertThat(refusedByThePolicy(reference, key)).contains("not signed by an accepted key");
    }

    @Test
    void aValidlySignedPayloadWithAnExtraFieldIsRefused() throws Exception {
        Path key = generateKey("staff");
        String reference = image("extra-field/tool", "1");
        Programs.Result signed = peer("sign-with-extra-field", "extra-field/tool", "1", Path.of(key + ".key"), PASSWORD + "\n");
        assertThat(signed.exitCode()).as(signed.output() + signed.errors()).isZero();

        Tools.Result refused = verify(reference, "--key", key + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("has a field the specification does not name: extra");
        assertThat(refusedByThePolicy(reference, key)).contains("has a field the specification does not name: extra");
    }

    /** A registry serves blobs by digest, so the lie a test can tell through it is the layer's size. */
    @Test
    void aLayerWhoseSizeLiesAboutItsBlobIsRefused() throws Exception {
        Path key = generateKey("staff");
        String reference = image("lying-layer/tool", "1");
        sign(reference, key);
        Digest digest = Programs.skopeoDigest("docker://" + reference);
        ObjectNode signatures = (ObjectNode) Json.tree(get("/v2/lying-layer/tool/manifests/" + sigTag(digest), OCI_MANIFEST), "sig");
        ArrayNode layers = (ArrayNode) signatures.get("layers");
        ((ObjectNode) layers.get(0)).put("size", layers.get(0).get("size").asLong() + 1);
        put("/v2/lying-layer/tool/manifests/" + sigTag(digest), Json.write(signatures));
        dropReferrerSignatures("lying-layer/tool", digest);

        Tools.Result refused = verify(reference, "--key", key + ".pub");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("does not match the layer digest");
        assertThat(refusedByThePolicy(reference, key)).contains("does not match the layer digest");
    }

    @Test
    void aWrongPasswordSignsNothing() throws Exception {
        Path key = generateKey("staff");
        String reference = image("wrong-password/tool", "1");

        Tools.Result refused = withPassword("not-the-password", "sign", reference, "--key", key + ".key");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("wrong password for " + key + ".key");
        assertThat(verify(reference, "--key", key + ".pub").stderr()).contains("no signature for");
    }

    @Test
    void theReferrerBundlePassesSigstoreVerifyUnderTheSigningKeyOnly() throws Exception {
        Path key = generateKey("staff");
        Path other = generateKey("other");
        String reference = image("bundled/tool", "1");
        sign(reference, key);
        Digest digest = Programs.skopeoDigest("docker://" + reference);

        JsonNode referrers = Json.tree(get("/v2/bundled/tool/referrers/" + digest, "application/vnd.oci.image.index.v1+json"), "referrers");
        assertThat(referrers.get("manifests")).hasSize(1);
        assertThat(referrers.get("manifests").get(0).get("artifactType").asText())
                .isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
        JsonNode manifest = Json.tree(get("/v2/bundled/tool/manifests/" + referrers.get("manifests").get(0).get("digest").asText(),
                OCI_MANIFEST), "referrer");
        byte[] bundle = get("/v2/bundled/tool/blobs/" + manifest.get("layers").get(0).get("digest").asText(), "*/*");
        Path bundleFile = Files.write(work.resolve("bundle.json"), bundle);
        Path truncated = Files.write(work.resolve("truncated.json"), java.util.Arrays.copyOf(bundle, bundle.length / 2));

        assertThat(SigstoreVerify.run(bundleFile, Path.of(key + ".pub"), digest).exitCode()).isZero();
        assertThat(SigstoreVerify.run(bundleFile, Path.of(other + ".pub"), digest).errors()).contains("signature verification failed");
        assertThat(SigstoreVerify.run(bundleFile, Path.of(key + ".pub"), Programs.skopeoDigest("docker://" + host + "/staff/tool:2"))
                .exitCode()).isEqualTo(1);
        assertThat(SigstoreVerify.run(truncated, Path.of(key + ".pub"), digest).exitCode()).isEqualTo(1);
    }

    /**
     * berth verify reads the referrer bundle as well as cosign's tag: an attack on one store must
     * also be refused when the other is gone, and a valid copy in one keeps the image verified.
     */
    @Test
    void aTruncatedReferrerBundleIsRefusedAndTheTagSignatureStillCounts() throws Exception {
        Path key = generateKey("staff");
        String reference = image("truncated-bundle/tool", "1");
        sign(reference, key);
        Digest digest = Programs.skopeoDigest("docker://" + reference);
        String referrer = referrerSignatures("truncated-bundle/tool", digest).getFirst();
        ObjectNode manifest = (ObjectNode) Json.tree(get("/v2/truncated-bundle/tool/manifests/" + referrer, OCI_MANIFEST), "referrer");
        ObjectNode layer = (ObjectNode) manifest.get("layers").get(0);
        byte[] bundle = get("/v2/truncated-bundle/tool/blobs/" + layer.get("digest").asText(), "*/*");
        byte[] truncated = java.util.Arrays.copyOf(bundle, bundle.length / 2);
        layer.put("digest", pushBlob("truncated-bundle/tool", truncated).toString()).put("size", truncated.length);
        dropReferrerSignatures("truncated-bundle/tool", digest);
        put("/v2/truncated-bundle/tool/manifests/" + Digest.of(Json.write(manifest)), Json.write(manifest));

        JsonNode both = Json.tree(verify(reference, "--key", key + ".pub", "--json").stdout().getBytes(StandardCharsets.UTF_8), "report");
        assertThat(both.get("verified").asBoolean()).isTrue();
        assertThat(both.get("signatures")).hasSize(2);
        assertThat(both.get("signatures").get(1).get("via").asText()).isEqualTo("referrer");
        assertThat(both.get("signatures").get(1).get("problem").asText()).contains("truncated");

        assertThat(send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/truncated-bundle/tool/manifests/" + sigTag(digest)))
                .DELETE()).statusCode()).isEqualTo(202);
        Tools.Result refused = verify(reference, "--key", key + ".pub");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).startsWith("berth: no valid signature by an accepted key covers").contains("truncated");
        assertThat(refusedByThePolicy(reference, key)).contains("truncated");
    }

    /** The referrers of {@code digest} that carry Sigstore bundles, by manifest digest. */
    private static List<String> referrerSignatures(String repository, Digest digest) throws IOException {
        JsonNode referrers = Json.tree(get("/v2/" + repository + "/referrers/" + digest, "application/vnd.oci.image.index.v1+json"),
                "referrers");
        List<String> found = new java.util.ArrayList<>();
        referrers.get("manifests").forEach(entry -> {
            if (entry.path("artifactType").asText().equals("application/vnd.dev.sigstore.bundle.v0.3+json")) {
                found.add(entry.get("digest").asText());
            }
        });
        return found;
    }

    private static void dropReferrerSignatures(String repository, Digest digest) throws IOException {
        for (String referrer : referrerSignatures(repository, digest)) {
            HttpResponse<byte[]> deleted = send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository
                    + "/manifests/" + referrer)).DELETE());
            assertThat(deleted.statusCode()).as("DELETE referrer " + referrer).isEqualTo(202);
        }
    }

    private static String sigTag(Digest digest) {
        return "sha256-" + digest.hex() + ".sig";
    }

    private static byte[] get(String path, String accept) throws IOException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("Accept", accept).GET());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private static void put(String path, byte[] manifest) throws IOException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        assertThat(response.statusCode()).as("PUT " + path).isEqualTo(201);
    }

    private static Digest pushBlob(String repository, byte[] content) throws IOException {
        HttpResponse<byte[]> started = send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create("http://" + host).resolve(location);
        Digest digest = Digest.of(content);
        String separator = upload.getQuery() == null ? "?" : "&";
        HttpResponse<byte[]> finished = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(finished.statusCode()).as("blob upload").isEqualTo(201);
        return digest;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
