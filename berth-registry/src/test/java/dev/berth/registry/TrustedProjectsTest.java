package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.trust.CosignSignatures;
import dev.berth.trust.SigningKey;
import dev.berth.trust.SimpleSigningPayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trusted projects: only maintainers push (a developer and a robot are refused), an unsigned image
 * is untrusted, a staff key's signature makes it trusted, a signature by another key does not, and
 * removing the key makes the image untrusted again. Signatures are cosign's tag scheme, made here
 * with berth-trust as any cosign-compatible signer would push them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustedProjectsTest {
    private static final String PASSWORD = "a-long-user-password";

    private AuthRegistry registry;
    private String admin;

    @BeforeAll
    void setUp(@TempDir Path root) throws Exception {
        registry = AuthRegistry.start(root.resolve("registry"));
        admin = registry.adminPassword();
        for (String user : List.of("maintainer", "developer")) {
            registry.addUser("admin", admin, user, PASSWORD);
        }
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "staff", "class", "internal"));
        registry.expect(200, "admin", admin, "PUT", "projects/staff/members/maintainer", Map.of("role", "maintainer"));
        registry.expect(200, "admin", admin, "PUT", "projects/staff/members/developer", Map.of("role", "developer"));
        assertThat(json(registry.expect(200, "admin", admin, "PUT", "projects/staff", Map.of("trusted", true))))
                .containsEntry("trusted", true);
    }

    @AfterAll
    void tearDown() throws Exception {
        registry.close();
    }

    @Test
    void onlyMaintainersPushToATrustedProject() throws Exception {
        HttpResponse<byte[]> refused = registry.tokenResponse("developer", PASSWORD, "repository:staff/tool:pull,push");
        String token = (String) Api.jsonObject(refused.body()).get("token");
        HttpResponse<byte[]> upload = registry.api.send("POST", "/v2/staff/tool/blobs/uploads/", null,
                "Authorization", AuthRegistry.bearer(token));
        assertThat(upload.statusCode()).isEqualTo(401);
        assertThat(Api.text(upload)).contains("project staff is trusted: only its maintainers push to it");

        Map<String, Object> robot = json(registry.expect(201, "admin", admin, "POST", "projects/staff/robots",
                Map.of("name", "ci", "scopes", List.of("staff/*:pull,push"))));
        String robotToken = registry.token((String) robot.get("name"), (String) robot.get("token"), "repository:staff/tool:pull,push");
        assertThat(registry.api.send("POST", "/v2/staff/tool/blobs/uploads/", null, "Authorization",
                AuthRegistry.bearer(robotToken)).statusCode()).isEqualTo(401);

        push("maintainer", "staff/tool", "1");
        assertThat(registry.call("developer", PASSWORD, "PUT", "projects/staff", Map.of("trusted", false)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void anImageIsTrustedWhileAStaffKeysSignatureCoversIt() throws Exception {
        Digest image = push("maintainer", "staff/app", "1");
        assertThat(trust("staff/app", "1")).containsEntry("projectTrusted", true).containsEntry("trusted", false)
                .containsEntry("signers", List.of());

        SigningKey staff = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        assertThat(registry.call("developer", PASSWORD, "POST", "projects/staff/keys",
                Map.of("name", "staff-a", "key", staff.publicKey().pem())).statusCode()).isEqualTo(403);
        assertThat(registry.call("admin", admin, "POST", "projects/staff/keys",
                Map.of("name", "broken", "key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")).statusCode())
                .isEqualTo(400);
        registry.expect(201, "admin", admin, "POST", "projects/staff/keys", Map.of("name", "staff-a", "key", staff.publicKey().pem()));
        assertThat((List<?>) registry.expect(200, "developer", PASSWORD, "GET", "projects/staff/keys", null)).hasSize(1);

        sign("staff/app", image, stranger);
        assertThat(trust("staff/app", "1")).containsEntry("trusted", false);
        sign("staff/app", image, staff);
        Map<String, Object> signed = trust("staff/app", "1");
        assertThat(signed).containsEntry("trusted", true);
        assertThat((List<?>) signed.get("signers")).singleElement().satisfies(signer -> assertThat(json(signer))
                .containsEntry("key", "staff-a").containsEntry("fingerprint", staff.publicKey().fingerprint().toString()));
        Map<String, Object> listed = json(registry.expect(200, "developer", PASSWORD, "GET", "repositories/staff/app/tags", null));
        assertThat((List<?>) listed.get("tags")).anySatisfy(tag -> assertThat(json(tag)).containsEntry("tag", "1")
                .containsEntry("trusted", true));

        Digest moved = push("maintainer", "staff/app", "1");
        assertThat(trust("staff/app", "1")).as("a tag moved after signing").containsEntry("trusted", false)
                .containsEntry("digest", moved.toString());
        registry.expect(200, "maintainer", PASSWORD, "POST", "repositories/staff/app/restore",
                Map.of("tag", "1", "digest", image.toString()));
        assertThat(trust("staff/app", "1")).containsEntry("trusted", true);

        registry.expect(204, "admin", admin, "DELETE", "projects/staff/keys/staff-a", null);
        assertThat(trust("staff/app", "1")).containsEntry("trusted", false);
    }

    @Test
    void imagesOfOtherProjectsAreUntrusted() throws Exception {
        registry.expect(201, "developer", PASSWORD, "POST", "projects", Map.of("name", "developer", "class", "private"));
        push("developer", "developer/mine", "1");
        assertThat(registry.call("developer", PASSWORD, "GET", "repositories/developer/mine/trust?reference=1", null)
                .statusCode()).isEqualTo(200);
        assertThat(json(registry.expect(200, "developer", PASSWORD, "GET", "repositories/developer/mine/trust?reference=1",
                null))).containsEntry("projectTrusted", false).containsEntry("trusted", false);
    }

    private Map<String, Object> trust(String repository, String reference) throws Exception {
        return json(registry.expect(200, "developer", PASSWORD, "GET", "repositories/" + repository + "/trust?reference="
                + reference, null));
    }

    private Digest push(String user, String repository, String tag) throws Exception {
        String token = registry.token(user, PASSWORD, "repository:" + repository + ":pull,push");
        return Digest.of(registry.api.withHeaders("Authorization", AuthRegistry.bearer(token)).pushImage(repository, tag, 1));
    }

    /** Adds a cosign tag-scheme signature of {@code image} by {@code key}, as the maintainer. */
    private void sign(String repository, Digest image, SigningKey key) throws Exception {
        String token = registry.token("maintainer", PASSWORD, "repository:" + repository + ":pull,push");
        Api maintainer = registry.api.withHeaders("Authorization", AuthRegistry.bearer(token));
        String signatureTag = CosignSignatures.tagFor(image);
        HttpResponse<byte[]> existing = maintainer.get("/v2/" + repository + "/manifests/" + signatureTag,
                "Accept", MediaType.OCI_MANIFEST);
        List<Descriptor> layers = existing.statusCode() == 200
                ? CosignSignatures.signatureLayers(dev.berth.oci.image.ManifestBytes.parse(existing.body(), MediaType.OCI_MANIFEST,
                dev.berth.oci.DigestAlgorithm.SHA256)) : List.of();
        CosignSignatures.Layer layer = CosignSignatures.Layer.sign(SimpleSigningPayload.of(image,
                registry.hostPort() + "/" + repository, "test", Instant.now()), key);
        CosignSignatures.Image signatures = CosignSignatures.withLayer(layers, layer);
        maintainer.pushBlob(repository, layer.payload());
        maintainer.pushBlob(repository, signatures.config());
        assertThat(maintainer.putManifest(repository, signatureTag, MediaType.OCI_MANIFEST, signatures.manifest().bytesUnsafe())
                .statusCode()).isEqualTo(201);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object answer) {
        return (Map<String, Object>) answer;
    }
}
