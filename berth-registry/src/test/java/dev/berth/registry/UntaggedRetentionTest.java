package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manifest that a tag left stays for the untagged retention period, with its blobs and its
 * referrers, so that {@code berth tag --restore} can bring it back; after that a collection removes
 * it and frees what only it used. Tagged manifests, and what they list or what refers to them, stay.
 */
class UntaggedRetentionTest {
    private static final Duration RETENTION = Duration.ofSeconds(3);

    private AuthRegistry registry;

    @AfterEach
    void tearDown() throws Exception {
        registry.close();
    }

    @Test
    void collectionKeepsAMovedAwayImageForTheRetentionPeriodAndRemovesItAfter(@TempDir Path root) throws Exception {
        registry = AuthRegistry.start(root.resolve("registry"), config -> config.withUntaggedRetention(RETENTION));
        String admin = registry.adminPassword();
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "lab", "class", "private"));
        Api api = registry.api.withHeaders("Authorization",
                AuthRegistry.bearer(registry.token("admin", admin, "repository:lab/app:pull,push,delete")));

        byte[] old = api.pushImage("lab/app", "latest", 1);
        Digest oldLayer = Json.read(old, ImageManifest.class, "manifest").layers().getFirst().digest();
        byte[] current = api.pushImage("lab/app", "latest", 1);
        Digest currentLayer = Json.read(current, ImageManifest.class, "manifest").layers().getFirst().digest();

        GarbageCollector.Report during = registry.server.collector().collect(Duration.ZERO, Duration.ofHours(1));
        assertThat(during.manifestsRemoved()).isZero();
        assertThat(manifestStatus(api, Digest.of(old))).isEqualTo(200);
        assertThat(blobStatus(api, oldLayer)).isEqualTo(200);
        assertThat(referrerCount(api, Digest.of(old))).as("the push attestation of the old image").isEqualTo(1);

        Thread.sleep(RETENTION.plusMillis(500).toMillis());
        byte[] byDigest = api.pushImage("lab/app", "scratch", 1);
        String deleteToken = registry.token("admin", admin, "repository:lab/app:delete");
        assertThat(registry.api.send("DELETE", "/v2/lab/app/manifests/scratch", null, "Authorization",
                AuthRegistry.bearer(deleteToken)).statusCode()).isEqualTo(202);

        GarbageCollector.Report after = registry.server.collector().collect(Duration.ZERO, Duration.ofHours(1));
        assertThat(after.manifestsRemoved()).as("the old image and its push attestation").isEqualTo(2);
        assertThat(manifestStatus(api, Digest.of(old))).isEqualTo(404);
        assertThat(blobStatus(api, oldLayer)).isEqualTo(404);
        assertThat(manifestStatus(api, Digest.of(current))).isEqualTo(200);
        assertThat(blobStatus(api, currentLayer)).isEqualTo(200);
        assertThat(referrerCount(api, Digest.of(current))).isEqualTo(1);
        assertThat(manifestStatus(api, Digest.of(byDigest))).as("untagged within the retention period").isEqualTo(200);

        HttpResponse<byte[]> restore = registry.call("admin", admin, "POST", "repositories/lab/app/restore",
                Map.of("tag", "latest", "digest", Digest.of(old).toString()));
        assertThat(restore.statusCode()).isEqualTo(404);
        assertThat(Api.text(restore)).contains("is no longer in repository lab/app");
    }

    @Test
    void withoutARetentionUntaggedManifestsStayUntilDeleted(@TempDir Path root) throws Exception {
        registry = AuthRegistry.start(root.resolve("registry"), config -> config);
        String admin = registry.adminPassword();
        registry.expect(201, "admin", admin, "POST", "projects", Map.of("name", "lab", "class", "private"));
        Api api = registry.api.withHeaders("Authorization",
                AuthRegistry.bearer(registry.token("admin", admin, "repository:lab/app:pull,push")));
        byte[] old = api.pushImage("lab/app", "latest", 1);
        api.pushImage("lab/app", "latest", 1);
        assertThat(registry.server.collector().collect(Duration.ZERO, Duration.ofHours(1)).manifestsRemoved()).isZero();
        assertThat(manifestStatus(api, Digest.of(old))).isEqualTo(200);
    }

    private static int manifestStatus(Api api, Digest digest) throws Exception {
        return api.send("GET", "/v2/lab/app/manifests/" + digest, null, "Accept", MediaType.OCI_MANIFEST).statusCode();
    }

    private static int blobStatus(Api api, Digest digest) throws Exception {
        return api.send("HEAD", "/v2/lab/app/blobs/" + digest, null).statusCode();
    }

    private static int referrerCount(Api api, Digest digest) throws Exception {
        HttpResponse<byte[]> response = api.send("GET", "/v2/lab/app/referrers/" + digest, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).path("manifests").size();
    }
}
