package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain HTTP view of a registry, for tests that check the protocol itself. */
final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    /** Sent with every request, e.g. an Authorization header. */
    private final List<String> always;

    Api(String base) {
        this(base, List.of());
    }

    private Api(String base, List<String> always) {
        this.base = base;
        this.always = always;
    }

    /** The same registry, with these header names and values added to every request. */
    Api withHeaders(String... headers) {
        return new Api(base, List.of(headers));
    }

    HttpResponse<byte[]> send(String method, String pathOrUrl, byte[] body, String... headers) throws IOException, InterruptedException {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < always.size(); i += 2) {
            request.header(always.get(i), always.get(i + 1));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // The server closes a connection after refusing a request whose body it did not read; a
            // request already on its way over that kept-alive connection gets no bytes back, never
            // reached the handler, and is sent again once on a new connection.
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** Pushes a blob in one POST ... ?digest= request. */
    Digest pushBlob(String repository, byte[] content) throws IOException, InterruptedException {
        return pushBlob(repository, content, DigestAlgorithm.SHA256);
    }

    Digest pushBlob(String repository, byte[] content, DigestAlgorithm algorithm) throws IOException, InterruptedException {
        Digest digest = Digest.of(algorithm, content);
        HttpResponse<byte[]> response = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        if (response.statusCode() == 202) {
            // the registry does not take a blob in the POST (the reference registry): PUT it to the session
            String location = response.headers().firstValue("Location").orElseThrow();
            response = send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, content,
                    "Content-Type", "application/octet-stream");
        }
        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        return digest;
    }

    HttpResponse<byte[]> putManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    }

    /** Pushes a small random image (config + layers) and tags it; returns its manifest bytes. */
    byte[] pushImage(String repository, String tag, int layers) throws IOException, InterruptedException {
        return pushImage(repository, tag, randomBlobs(layers, 2048));
    }

    byte[] pushImage(String repository, String tag, List<byte[]> layerContents) throws IOException, InterruptedException {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"n\":"
                + ThreadLocalRandom.current().nextLong() + "}").getBytes(StandardCharsets.UTF_8);
        Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, pushBlob(repository, config), config.length);
        List<Descriptor> layerDescriptors = new java.util.ArrayList<>();
        for (byte[] layer : layerContents) {
            layerDescriptors.add(Descriptor.of(MediaType.OCI_LAYER_GZIP, pushBlob(repository, layer), layer.length));
        }
        byte[] manifest = Json.write(ImageManifest.of(MediaType.OCI_MANIFEST, configDescriptor, layerDescriptors));
        HttpResponse<byte[]> response = putManifest(repository, tag, MediaType.OCI_MANIFEST, manifest);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        return manifest;
    }

    /** Pulls an image by tag and checks every blob's bytes against its digest; returns the manifest bytes. */
    byte[] pullAndVerify(String repository, String tag) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/v2/" + repository + "/manifests/" + tag, "Accept", MediaType.OCI_MANIFEST);
        assertThat(response.statusCode()).as(repository + ":" + tag + " " + text(response)).isEqualTo(200);
        ImageManifest manifest = Json.read(response.body(), ImageManifest.class, "manifest");
        List<Descriptor> blobs = new java.util.ArrayList<>(manifest.layers());
        blobs.add(manifest.config());
        for (Descriptor blob : blobs) {
            HttpResponse<byte[]> content = get("/v2/" + repository + "/blobs/" + blob.digest());
            assertThat(content.statusCode()).as(repository + " blob " + blob.digest()).isEqualTo(200);
            assertThat(Digest.of(blob.digest().algorithm(), content.body())).isEqualTo(blob.digest());
        }
        return response.body();
    }

    static List<byte[]> randomBlobs(int count, int size) {
        List<byte[]> blobs = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = new byte[size];
            ThreadLocalRandom.current().nextBytes(blob);
            blobs.add(blob);
        }
        return blobs;
    }

    static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A JSON object body as a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(byte[] body) {
        return Json.read(body, Map.class, "JSON body");
    }

    /** The error code of a spec-shaped error body. */
    static String errorCode(HttpResponse<byte[]> response) {
        Map<?, ?> body = Json.read(response.body(), Map.class, "error body");
        return (String) ((Map<?, ?>) ((List<?>) body.get("errors")).getFirst()).get("code");
    }
}
