package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The distribution-spec endpoints, spoken over plain HTTP to a berth registry. */
class DistributionApiTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static Api api;

    @BeforeAll
    static void start() throws IOException {
        registry = TestRegistry.start(root);
        api = new Api(registry.url());
    }

    @AfterAll
    static void stop() throws IOException {
        registry.close();
    }

    @Test
    void pingAnswersWithTheApiVersion() throws Exception {
        HttpResponse<byte[]> response = api.get("/v2/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void monolithicBlobPushAndPullWithEitherAlgorithm(DigestAlgorithm algorithm) throws Exception {
        byte[] content = Api.randomBlobs(1, 10_000).getFirst();
        Digest digest = api.pushBlob("mono/" + algorithm.id(), content, algorithm);
        HttpResponse<byte[]> head = api.send("HEAD", "/v2/mono/" + algorithm.id() + "/blobs/" + digest, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10000");
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        HttpResponse<byte[]> get = api.get("/v2/mono/" + algorithm.id() + "/blobs/" + digest);
        assertThat(get.body()).isEqualTo(content);
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void chunkedUploadWithContentRangeThenPutCloses(DigestAlgorithm algorithm) throws Exception {
        byte[] content = Api.randomBlobs(1, 30_000).getFirst();
        HttpResponse<byte[]> post = api.send("POST", "/v2/chunked/blobs/uploads/?digest-algorithm=" + algorithm.id(), new byte[0]);
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        for (int start = 0; start < content.length; start += 10_000) {
            byte[] chunk = Arrays.copyOfRange(content, start, start + 10_000);
            HttpResponse<byte[]> patch = api.send("PATCH", location, chunk, "Content-Type", "application/octet-stream",
                    "Content-Range", start + "-" + (start + 9_999));
            assertThat(patch.statusCode()).as(Api.text(patch)).isEqualTo(202);
            assertThat(patch.headers().firstValue("Range")).hasValue("0-" + (start + 9_999));
            location = patch.headers().firstValue("Location").orElseThrow();
        }
        HttpResponse<byte[]> status = api.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-29999");
        Digest digest = Digest.of(algorithm, content);
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, null);
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/chunked/blobs/" + digest);
        assertThat(api.get("/v2/chunked/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void largeChunksOfOddSizesComeBackByteExact() throws Exception {
        int chunk = 5_000_001;
        byte[] content = Api.randomBlobs(1, 3 * chunk).getFirst();
        String location = api.send("POST", "/v2/odd/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        for (int start = 0; start < 2 * chunk; start += chunk) {
            HttpResponse<byte[]> patch = api.send("PATCH", location, Arrays.copyOfRange(content, start, start + chunk),
                    "Content-Range", start + "-" + (start + chunk - 1));
            assertThat(patch.statusCode()).as(Api.text(patch)).isEqualTo(202);
            location = patch.headers().firstValue("Location").orElseThrow();
        }
        Digest digest = Digest.of(content);
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, Arrays.copyOfRange(content, 2 * chunk, 3 * chunk),
                "Content-Range", 2 * chunk + "-" + (3 * chunk - 1));
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(api.get("/v2/odd/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void streamedPatchWithoutRangeAndLastChunkInThePut() throws Exception {
        byte[] content = Api.randomBlobs(1, 5_000).getFirst();
        String location = api.send("POST", "/v2/stream/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> patch = api.send("PATCH", location, Arrays.copyOfRange(content, 0, 3_000));
        assertThat(patch.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + Digest.of(content), Arrays.copyOfRange(content, 3_000, 5_000),
                "Content-Range", "3000-4999");
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
    }

    @Test
    void blobPushedAgainIsServedEverywhereAndItsSecondUploadLeavesNothingBehind() throws Exception {
        byte[] content = Api.randomBlobs(1, 70_000).getFirst();
        Digest digest = api.pushBlob("again/first", content);
        String location = api.send("POST", "/v2/again/second/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        location = api.send("PATCH", location, content).headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + digest, null);
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(api.get("/v2/again/first/blobs/" + digest).body()).isEqualTo(content);
        assertThat(api.get("/v2/again/second/blobs/" + digest).body()).isEqualTo(content);
        assertThat(api.get(location).statusCode()).isEqualTo(404);
        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(root.resolve("uploads").resolve(uploadId)).doesNotExist();
    }

    @Test
    void digestMismatchStoresNothing() throws Exception {
        byte[] content = "real content".getBytes(StandardCharsets.UTF_8);
        Digest claimed = Digest.of("other content".getBytes(StandardCharsets.UTF_8));
        long uploadsBefore = countUploads();
        HttpResponse<byte[]> response = api.send("POST", "/v2/mismatch/blobs/uploads/?digest=" + claimed, content);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(response)).isEqualTo("DIGEST_INVALID");
        assertThat(api.send("HEAD", "/v2/mismatch/blobs/" + claimed, null).statusCode()).isEqualTo(404);
        assertThat(api.send("HEAD", "/v2/mismatch/blobs/" + Digest.of(content), null).statusCode()).isEqualTo(404);
        try (Stream<Path> blobs = Files.walk(root.resolve("blobs"))) {
            assertThat(blobs.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .doesNotContain(claimed.hex(), Digest.of(content).hex());
        }
        assertThat(countUploads()).isEqualTo(uploadsBefore);
    }

    private static long countUploads() throws IOException {
        try (Stream<Path> uploads = Files.list(root.resolve("uploads"))) {
            return uploads.count();
        }
    }

    @Test
    void chunkedUploadWithWrongDigestIsRefusedAtClose() throws Exception {
        String location = api.send("POST", "/v2/mismatch2/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        api.send("PATCH", location, "abc".getBytes(StandardCharsets.UTF_8), "Content-Range", "0-2");
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + Digest.of("abd".getBytes(StandardCharsets.UTF_8)), null);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(put)).isEqualTo("DIGEST_INVALID");
        assertThat(api.get(location).statusCode()).isEqualTo(404);
    }

    @Test
    void outOfOrderChunkIsRefusedWith416AndTheUploadCarriesOn() throws Exception {
        String location = api.send("POST", "/v2/order/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        api.send("PATCH", location, new byte[100], "Content-Range", "0-99");
        HttpResponse<byte[]> skip = api.send("PATCH", location, new byte[100], "Content-Range", "200-299");
        assertThat(skip.statusCode()).isEqualTo(416);
        assertThat(skip.headers().firstValue("Range")).hasValue("0-99");
        HttpResponse<byte[]> again = api.send("PATCH", location, new byte[100], "Content-Range", "0-99");
        assertThat(again.statusCode()).isEqualTo(416);
        HttpResponse<byte[]> next = api.send("PATCH", location, new byte[100], "Content-Range", "100-199");
        assertThat(next.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + Digest.of(new byte[200]), null);
        assertThat(put.statusCode()).isEqualTo(201);
    }

    @Test
    void chunkShorterThanItsRangeIsRefusedAndLeavesTheUploadAsItWas() throws Exception {
        String location = api.send("POST", "/v2/short/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> patch = api.send("PATCH", location, new byte[50], "Content-Range", "0-99");
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(patch)).isEqualTo("BLOB_UPLOAD_INVALID");
        assertThat(api.get(location).headers().firstValue("Range")).hasValue("0-0");
        assertThat(api.send("PATCH", location, new byte[100], "Content-Range", "0-99").statusCode()).isEqualTo(202);
    }

    @Test
    void truncatedChunkFromADroppedConnectionIsRolledBack() throws Exception {
        String location = api.send("POST", "/v2/truncated/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        api.send("PATCH", location, new byte[100], "Content-Range", "0-99");
        URI uri = URI.create(registry.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: " + registry.hostPort() + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: 100-1099\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[400]);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
        HttpResponse<byte[]> status = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            status = api.get(location);
            if ("0-99".equals(status.headers().firstValue("Range").orElse(null))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.headers().firstValue("Range")).hasValue("0-99");
        byte[] rest = new byte[1000];
        rest[0] = 7;
        assertThat(api.send("PATCH", location, rest, "Content-Range", "100-1099").statusCode()).isEqualTo(202);
        byte[] whole = new byte[1100];
        whole[100] = 7;
        assertThat(api.send("PUT", location + "?digest=" + Digest.of(whole), null).statusCode()).isEqualTo(201);
    }

    @Test
    void uploadCanBeCancelled() throws Exception {
        String location = api.send("POST", "/v2/cancel/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertThat(api.send("DELETE", location, null).statusCode()).isEqualTo(204);
        assertThat(api.get(location).statusCode()).isEqualTo(404);
        assertThat(Api.errorCode(api.get(location))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void rangeRequestsOnBlobs() throws Exception {
        byte[] content = Api.randomBlobs(1, 4_000).getFirst();
        Digest digest = api.pushBlob("ranges", content);
        String path = "/v2/ranges/blobs/" + digest;
        HttpResponse<byte[]> middle = api.get(path, "Range", "bytes=500-1499");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 500-1499/4000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 500, 1500));
        assertThat(api.get(path, "Range", "bytes=500-").body()).isEqualTo(Arrays.copyOfRange(content, 500, 4000));
        HttpResponse<byte[]> suffix = api.get(path, "Range", "bytes=-500");
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 3500-3999/4000");
        HttpResponse<byte[]> pastEnd = api.get(path, "Range", "bytes=2000-5000");
        assertThat(pastEnd.headers().firstValue("Content-Range")).hasValue("bytes 2000-3999/4000");
        assertThat(api.get(path, "Range", "bytes=500-0").statusCode()).isEqualTo(416);
        HttpResponse<byte[]> beyond = api.get(path, "Range", "bytes=5000-10000");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */4000");
    }

    @Test
    void largeBlobsStreamWholeAndInRanges() throws Exception {
        byte[] content = Api.randomBlobs(1, 9 * 1024 * 1024 + 123).getFirst();
        Digest digest = api.pushBlob("large", content);
        assertThat(api.get("/v2/large/blobs/" + digest).body()).isEqualTo(content);
        HttpResponse<byte[]> across = api.get("/v2/large/blobs/" + digest, "Range", "bytes=4000000-8500000");
        assertThat(across.statusCode()).isEqualTo(206);
        assertThat(across.body()).isEqualTo(Arrays.copyOfRange(content, 4_000_000, 8_500_001));
    }

    @Test
    void crossRepositoryMountWithAndWithoutFrom() throws Exception {
        Digest digest = api.pushBlob("mount/source", "shared layer".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> mounted = api.send("POST", "/v2/mount/target/blobs/uploads/?mount=" + digest + "&from=mount/source", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).hasValue("/v2/mount/target/blobs/" + digest);
        assertThat(api.send("HEAD", "/v2/mount/target/blobs/" + digest, null).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> automatic = api.send("POST", "/v2/mount/auto/blobs/uploads/?mount=" + digest, null);
        assertThat(automatic.statusCode()).isEqualTo(201);

        HttpResponse<byte[]> missing = api.send("POST", "/v2/mount/other/blobs/uploads/?mount=" + digest + "&from=mount/nowhere", null);
        assertThat(missing.statusCode()).isEqualTo(202);
        assertThat(missing.headers().firstValue("Location")).get().asString().startsWith("/v2/mount/other/blobs/uploads/");
    }

    @Test
    void blobsAreOnlyVisibleInTheirRepositories() throws Exception {
        Digest digest = api.pushBlob("private/a", "only in a".getBytes(StandardCharsets.UTF_8));
        api.pushBlob("private/b", "something in b".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = api.get("/v2/private/b/blobs/" + digest);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Api.errorCode(response)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void manifestPushPullByTagAndDigestKeepsTheExactBytes() throws Exception {
        byte[] manifest = api.pushImage("images/app", "v1", 2);
        // Re-serialised JSON would differ: push bytes with odd spacing to prove they are kept.
        String spaced = new String(manifest, StandardCharsets.UTF_8).replace(",", " ,\n  ");
        HttpResponse<byte[]> put = api.putManifest("images/app", "spaced", MediaType.OCI_MANIFEST, spaced.getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).isEqualTo(201);
        Digest digest = Digest.of(spaced.getBytes(StandardCharsets.UTF_8));
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/images/app/manifests/" + digest);

        HttpResponse<byte[]> byTag = api.get("/v2/images/app/manifests/spaced", "Accept", MediaType.OCI_MANIFEST);
        assertThat(byTag.body()).isEqualTo(spaced.getBytes(StandardCharsets.UTF_8));
        assertThat(byTag.headers().firstValue("Content-Type")).hasValue(MediaType.OCI_MANIFEST);
        assertThat(byTag.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        HttpResponse<byte[]> byDigest = api.get("/v2/images/app/manifests/" + digest);
        assertThat(byDigest.body()).isEqualTo(spaced.getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> head = api.send("HEAD", "/v2/images/app/manifests/v1", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(manifest.length));
        api.pullAndVerify("images/app", "v1");
    }

    @Test
    void manifestPushedByDigestWithSha512AndTagParameters() throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = api.pushBlob("sha512/app", config, DigestAlgorithm.SHA512);
        byte[] layer = Api.randomBlobs(1, 999).getFirst();
        Digest layerDigest = api.pushBlob("sha512/app", layer, DigestAlgorithm.SHA512);
        byte[] manifest = Json.write(ImageManifest.of(MediaType.OCI_MANIFEST, Descriptor.of(MediaType.OCI_CONFIG, configDigest, 2),
                List.of(Descriptor.of(MediaType.OCI_LAYER, layerDigest, layer.length))));
        Digest digest = Digest.of(DigestAlgorithm.SHA512, manifest);
        HttpResponse<byte[]> put = api.send("PUT", "/v2/sha512/app/manifests/" + digest + "?tag=one&tag=two", manifest,
                "Content-Type", MediaType.OCI_MANIFEST);
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        assertThat(put.headers().firstValue("OCI-Tag")).hasValue("one, two");
        assertThat(api.get("/v2/sha512/app/manifests/two").headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        // pushed by tag, the manifest is addressed with the algorithm of its content
        HttpResponse<byte[]> byTag = api.putManifest("sha512/app", "three", MediaType.OCI_MANIFEST, manifest);
        assertThat(byTag.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    }

    @Test
    void manifestWhoseDigestDoesNotMatchTheUrlIsRefused() throws Exception {
        byte[] manifest = api.pushImage("baddigest/app", "v1", 1);
        HttpResponse<byte[]> wrong = api.putManifest("baddigest/app", Digest.of("x".getBytes(StandardCharsets.UTF_8)).toString(),
                MediaType.OCI_MANIFEST, manifest);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(wrong)).isEqualTo("DIGEST_INVALID");
        HttpResponse<byte[]> garbage = api.putManifest("baddigest/app", "sha256:baddigeststring", MediaType.OCI_MANIFEST, manifest);
        assertThat(garbage.statusCode()).isEqualTo(400);
    }

    @Test
    void manifestNamingAMissingBlobIsRefused() throws Exception {
        Digest config = api.pushBlob("missing/app", "{}".getBytes(StandardCharsets.UTF_8));
        Digest absent = Digest.of("never pushed".getBytes(StandardCharsets.UTF_8));
        byte[] manifest = Json.write(ImageManifest.of(MediaType.OCI_MANIFEST, Descriptor.of(MediaType.OCI_CONFIG, config, 2),
                List.of(Descriptor.of(MediaType.OCI_LAYER_GZIP, absent, 12))));
        HttpResponse<byte[]> put = api.putManifest("missing/app", "v1", MediaType.OCI_MANIFEST, manifest);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(put)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(new String(put.body(), StandardCharsets.UTF_8)).contains(absent.toString());
        assertThat(api.get("/v2/missing/app/manifests/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void nonDistributableLayersNeedNotBePushed() throws Exception {
        Digest config = api.pushBlob("nondist/app", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] manifest = Json.write(ImageManifest.of(MediaType.OCI_MANIFEST, Descriptor.of(MediaType.OCI_CONFIG, config, 2),
                List.of(Descriptor.of(MediaType.OCI_LAYER_NONDISTRIBUTABLE_GZIP, Digest.of(new byte[] {1}), 1))));
        assertThat(api.putManifest("nondist/app", "v1", MediaType.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
    }

    @Test
    void oversizedManifestIsRefusedWith413() throws Exception {
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        HttpResponse<byte[]> put = api.putManifest("big/app", "v1", MediaType.OCI_MANIFEST, huge);
        assertThat(put.statusCode()).isEqualTo(413);
        assertThat(Api.errorCode(put)).isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void invalidManifestsAreRefused() throws Exception {
        assertThat(Api.errorCode(api.putManifest("invalid/app", "v1", MediaType.OCI_MANIFEST, "not json".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("MANIFEST_INVALID");
        assertThat(Api.errorCode(api.putManifest("invalid/app", "v1", MediaType.OCI_MANIFEST,
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("MANIFEST_INVALID");
    }

    @Test
    void unknownRepositoriesAndManifests() throws Exception {
        HttpResponse<byte[]> tags = api.get("/v2/no/such/repo/tags/list");
        assertThat(tags.statusCode()).isEqualTo(404);
        assertThat(Api.errorCode(tags)).isEqualTo("NAME_UNKNOWN");
        assertThat(api.get("/v2/no/such/repo/manifests/latest").statusCode()).isEqualTo(404);
        api.pushImage("known/app", "v1", 1);
        HttpResponse<byte[]> manifest = api.get("/v2/known/app/manifests/v2");
        assertThat(manifest.statusCode()).isEqualTo(404);
        assertThat(Api.errorCode(manifest)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(Api.errorCode(api.get("/v2/known/app/blobs/" + Digest.of(new byte[3])))).isEqualTo("BLOB_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPPER/case", "-leading", "double//slash", "trailing-", "a..b", "under___score"})
    void invalidRepositoryNamesAreRefused(String name) throws Exception {
        HttpResponse<byte[]> response = api.send("POST", "/v2/" + name + "/blobs/uploads/", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.errorCode(response)).isEqualTo("NAME_INVALID");
    }

    @Test
    void invalidTagsAndDigestsAreRefused() throws Exception {
        byte[] manifest = api.pushImage("tags/invalid", "ok", 1);
        assertThat(Api.errorCode(api.putManifest("tags/invalid", ".hidden", MediaType.OCI_MANIFEST, manifest))).isEqualTo("MANIFEST_INVALID");
        assertThat(Api.errorCode(api.get("/v2/tags/invalid/blobs/sha256:abc"))).isEqualTo("DIGEST_INVALID");
        assertThat(Api.errorCode(api.get("/v2/tags/invalid/blobs/md5:d41d8cd98f00b204e9800998ecf8427e"))).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void tagListPaginatesWithLink() throws Exception {
        byte[] manifest = api.pushImage("paging/app", "a", 1);
        for (String tag : List.of("b", "c", "d", "e")) {
            assertThat(api.putManifest("paging/app", tag, MediaType.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
        }
        HttpResponse<byte[]> all = api.get("/v2/paging/app/tags/list");
        assertThat(Api.jsonObject(all.body())).containsEntry("tags", List.of("a", "b", "c", "d", "e"))
                .containsEntry("name", "paging/app");
        HttpResponse<byte[]> first = api.get("/v2/paging/app/tags/list?n=2");
        assertThat(Json.read(first.body(), Map.class, "tags").get("tags")).isEqualTo(List.of("a", "b"));
        assertThat(first.headers().firstValue("Link")).hasValue("</v2/paging/app/tags/list?n=2&last=b>; rel=\"next\"");
        HttpResponse<byte[]> second = api.get("/v2/paging/app/tags/list?n=2&last=b");
        assertThat(Json.read(second.body(), Map.class, "tags").get("tags")).isEqualTo(List.of("c", "d"));
        HttpResponse<byte[]> last = api.get("/v2/paging/app/tags/list?n=2&last=d");
        assertThat(Json.read(last.body(), Map.class, "tags").get("tags")).isEqualTo(List.of("e"));
        assertThat(last.headers().firstValue("Link")).isEmpty();
        HttpResponse<byte[]> none = api.get("/v2/paging/app/tags/list?n=0");
        assertThat(Json.read(none.body(), Map.class, "tags").get("tags")).isEqualTo(List.of());
        assertThat(none.headers().firstValue("Link")).isEmpty();
    }

    @Test
    void catalogListsRepositoriesWithPagination() throws Exception {
        api.pushImage("catalog/one", "v1", 1);
        api.pushImage("catalog/two", "v1", 1);
        @SuppressWarnings("unchecked")
        List<String> all = (List<String>) Json.read(api.get("/v2/_catalog").body(), Map.class, "catalog").get("repositories");
        assertThat(all).contains("catalog/one", "catalog/two").isSorted();
        HttpResponse<byte[]> page = api.get("/v2/_catalog?n=1&last=catalog/one");
        assertThat(Json.read(page.body(), Map.class, "catalog").get("repositories")).isEqualTo(List.of("catalog/two"));
        assertThat(page.headers().firstValue("Link")).isPresent();
    }

    @Test
    void deletesOfTagsManifestsAndBlobs() throws Exception {
        byte[] manifest = api.pushImage("delete/app", "v1", 1);
        api.putManifest("delete/app", "v2", MediaType.OCI_MANIFEST, manifest);
        Digest digest = Digest.of(manifest);
        assertThat(api.send("DELETE", "/v2/delete/app/manifests/v2", null).statusCode()).isEqualTo(202);
        assertThat(api.get("/v2/delete/app/manifests/v2").statusCode()).isEqualTo(404);
        assertThat(api.get("/v2/delete/app/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(api.send("DELETE", "/v2/delete/app/manifests/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(api.get("/v2/delete/app/manifests/v1").statusCode()).isEqualTo(404);
        assertThat(api.get("/v2/delete/app/manifests/" + digest).statusCode()).isEqualTo(404);
        assertThat(api.send("DELETE", "/v2/delete/app/manifests/" + digest, null).statusCode()).isEqualTo(404);
        ImageManifest parsed = Json.read(manifest, ImageManifest.class, "manifest");
        Digest layer = parsed.layers().getFirst().digest();
        assertThat(api.send("DELETE", "/v2/delete/app/blobs/" + layer, null).statusCode()).isEqualTo(202);
        assertThat(api.send("HEAD", "/v2/delete/app/blobs/" + layer, null).statusCode()).isEqualTo(404);
        assertThat(api.send("DELETE", "/v2/delete/app/blobs/" + layer, null).statusCode()).isEqualTo(404);
        assertThat(api.send("DELETE", "/v2/delete/nothing/manifests/v1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deletesCanBeDisabled(@TempDir Path otherRoot) throws Exception {
        try (TestRegistry readOnlyDeletes = TestRegistry.start(otherRoot, config -> config.withDeleteEnabled(false))) {
            Api other = new Api(readOnlyDeletes.url());
            byte[] manifest = other.pushImage("keep/app", "v1", 1);
            HttpResponse<byte[]> response = other.send("DELETE", "/v2/keep/app/manifests/" + Digest.of(manifest), null);
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(Api.errorCode(response)).isEqualTo("UNSUPPORTED");
            assertThat(other.send("DELETE", "/v2/keep/app/manifests/v1", null).statusCode()).isEqualTo(405);
            other.pullAndVerify("keep/app", "v1");
        }
    }

    @Test
    void referrersApiFindsArtifactsBySubjectAndFiltersByArtifactType() throws Exception {
        byte[] image = api.pushImage("refs/app", "v1", 1);
        Digest subject = Digest.of(image);
        Descriptor subjectDescriptor = Descriptor.of(MediaType.OCI_MANIFEST, subject, image.length);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = api.pushBlob("refs/app", empty);
        byte[] sbom = "{\"sbom\":true}".getBytes(StandardCharsets.UTF_8);
        Digest sbomDigest = api.pushBlob("refs/app", sbom);
        byte[] sbomManifest = Json.write(new ImageManifest(2, MediaType.OCI_MANIFEST, "application/vnd.example.sbom.v1",
                Descriptor.of(MediaType.OCI_EMPTY, emptyDigest, 2),
                List.of(Descriptor.of("application/json", sbomDigest, sbom.length)), subjectDescriptor,
                Map.of("org.example.kind", "sbom")));
        HttpResponse<byte[]> put = api.putManifest("refs/app", Digest.of(sbomManifest).toString(), MediaType.OCI_MANIFEST, sbomManifest);
        assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject.toString());
        byte[] signature = Json.write(new ImageManifest(2, MediaType.OCI_MANIFEST, null,
                Descriptor.of("application/vnd.example.signature.config", emptyDigest, 2), List.of(), subjectDescriptor, null));
        assertThat(api.putManifest("refs/app", Digest.of(signature).toString(), MediaType.OCI_MANIFEST, signature).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> all = api.get("/v2/refs/app/referrers/" + subject);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(MediaType.OCI_INDEX);
        ImageIndex index = Json.read(all.body(), ImageIndex.class, "referrers");
        assertThat(index.manifests()).extracting(Descriptor::artifactType)
                .containsExactlyInAnyOrder("application/vnd.example.sbom.v1", "application/vnd.example.signature.config");
        Descriptor sbomEntry = index.manifests().stream().filter(d -> d.digest().equals(Digest.of(sbomManifest))).findFirst().orElseThrow();
        assertThat(sbomEntry.annotations()).containsEntry("org.example.kind", "sbom");
        assertThat(sbomEntry.size()).isEqualTo(sbomManifest.length);

        HttpResponse<byte[]> filtered = api.get("/v2/refs/app/referrers/" + subject + "?artifactType=application/vnd.example.sbom.v1");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(Json.read(filtered.body(), ImageIndex.class, "referrers").manifests()).extracting(Descriptor::digest)
                .containsExactly(Digest.of(sbomManifest));

        HttpResponse<byte[]> none = api.get("/v2/refs/app/referrers/" + Digest.of(new byte[9]));
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(Json.read(none.body(), ImageIndex.class, "referrers").manifests()).isEmpty();
        assertThat(api.get("/v2/refs/app/referrers/sha256:nothex").statusCode()).isEqualTo(400);

        assertThat(api.send("DELETE", "/v2/refs/app/manifests/" + Digest.of(signature), null).statusCode()).isEqualTo(202);
        assertThat(Json.read(api.get("/v2/refs/app/referrers/" + subject).body(), ImageIndex.class, "referrers").manifests()).hasSize(1);
    }

    @Test
    void referrerMayBePushedBeforeItsSubject() throws Exception {
        Digest empty = api.pushBlob("refs/early", "{}".getBytes(StandardCharsets.UTF_8));
        Digest future = Digest.of("not yet pushed".getBytes(StandardCharsets.UTF_8));
        byte[] artifact = Json.write(new ImageManifest(2, MediaType.OCI_MANIFEST, "application/vnd.example.early",
                Descriptor.of(MediaType.OCI_EMPTY, empty, 2), List.of(), Descriptor.of(MediaType.OCI_MANIFEST, future, 14), null));
        HttpResponse<byte[]> put = api.putManifest("refs/early", Digest.of(artifact).toString(), MediaType.OCI_MANIFEST, artifact);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(Json.read(api.get("/v2/refs/early/referrers/" + future).body(), ImageIndex.class, "referrers").manifests()).hasSize(1);
    }

    @Test
    void indexNeedsItsManifestsAndIsNegotiatedForClientsWithoutIndexSupport() throws Exception {
        byte[] amd64 = api.pushImage("multi/app", "amd64", 1);
        byte[] arm64 = api.pushImage("multi/app", "arm64", 1);
        byte[] index = Json.write(ImageIndex.of(MediaType.OCI_INDEX, List.of(
                Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(amd64), amd64.length).withPlatform(Platform.of("linux", "amd64", null)),
                Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(arm64), arm64.length).withPlatform(Platform.of("linux", "arm64", null)))));
        assertThat(api.putManifest("multi/app", "latest", MediaType.OCI_INDEX, index).statusCode()).isEqualTo(201);
        assertThat(api.get("/v2/multi/app/manifests/latest", "Accept", MediaType.OCI_INDEX).body()).isEqualTo(index);
        HttpResponse<byte[]> imageOnly = api.get("/v2/multi/app/manifests/latest", "Accept", MediaType.OCI_MANIFEST);
        assertThat(imageOnly.body()).isEqualTo(amd64);

        byte[] dangling = Json.write(ImageIndex.of(MediaType.OCI_INDEX, List.of(
                Descriptor.of(MediaType.OCI_MANIFEST, Digest.of(new byte[5]), 5))));
        HttpResponse<byte[]> refused = api.putManifest("multi/app", "broken", MediaType.OCI_INDEX, dangling);
        assertThat(Api.errorCode(refused)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void unsupportedMethodsAndPathsAnswerInTheErrorShape() throws Exception {
        HttpResponse<byte[]> method = api.send("POST", "/v2/some/app/manifests/v1", new byte[0]);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(Api.errorCode(method)).isEqualTo("UNSUPPORTED");
        HttpResponse<byte[]> path = api.get("/v2/some/app/nothing-here");
        assertThat(path.statusCode()).isEqualTo(404);
    }

    @Test
    void metricsCountRequestsInPrometheusFormat() throws Exception {
        api.get("/v2/");
        HttpResponse<byte[]> metrics = api.get("/metrics");
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("# TYPE berth_registry_requests_total counter")
                .containsPattern("berth_registry_requests_total\\{route=\"base\",method=\"GET\",status=\"200\"} [1-9]")
                .contains("berth_registry_sent_bytes_total").contains("berth_registry_upload_duration_seconds_count");
    }
}
