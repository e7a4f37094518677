package dev.berth.distribution;

import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.BlobOpener;
import dev.berth.oci.transfer.ImageSink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One repository of a registry, written through the distribution API. Blobs the registry
 * already has are skipped (HEAD), blobs it has in another repository are mounted, small blobs go
 * up in one request and large ones in chunks; a failed upload starts over from a fresh read of
 * the source. Manifests are written when the copy puts them, which is after their children.
 */
public final class RegistrySink implements ImageSink {
    public static final int DEFAULT_CHUNK_SIZE = 32 << 20;
    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistryClient client;
    private final String repository;
    private final Scope scope;
    private final Function<Digest, Optional<String>> mountSources;
    private final int chunkSize;

    /**
     * @param mountSources for a blob, another repository of the same registry that probably has
     *                     it, so it can be mounted instead of uploaded
     */
    public RegistrySink(RegistryClient client, String repository, Function<Digest, Optional<String>> mountSources,
                        int chunkSize) {
        this.client = client;
        this.repository = repository;
        this.scope = Scope.push(repository);
        this.mountSources = mountSources;
        this.chunkSize = chunkSize;
    }

    public RegistrySink(RegistryClient client, String repository) {
        this(client, repository, digest -> Optional.empty(), DEFAULT_CHUNK_SIZE);
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) throws IOException {
        Response response = client.send(new RegistryClient.Call("HEAD",
                client.uri("/v2/" + repository + "/blobs/" + descriptor.digest()), scope));
        return switch (response.status()) {
            case 200 -> {
                response.close();
                yield true;
            }
            case 404 -> {
                response.close();
                yield false;
            }
            default -> throw client.failure(response, "checking blob " + descriptor.digest());
        };
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        AtomicBoolean opened = new AtomicBoolean();
        putBlob(descriptor, () -> {
            if (opened.getAndSet(true)) {
                throw new IOException("the content of " + descriptor.digest() + " cannot be read a second time");
            }
            return content;
        });
    }

    @Override
    public void putBlob(Descriptor descriptor, BlobOpener content) throws IOException {
        RetryPolicy retry = client.retryPolicy();
        Optional<String> mountFrom = mountSources.apply(descriptor.digest()).filter(from -> !from.equals(repository));
        for (int attempt = 1; ; attempt++) {
            try {
                upload(descriptor, content, attempt == 1 ? mountFrom : Optional.empty());
                return;
            } catch (UploadInterrupted e) {
                if (attempt >= retry.attempts()) {
                    throw e.failure() != null ? e.failure() : new RegistryException("REGISTRY_UNAVAILABLE", "upload of blob "
                            + descriptor.digest() + " to " + client.registry() + "/" + repository + " failed: "
                            + e.getMessage() + " (gave up after " + attempt + " attempts)", e);
                }
                RetryPolicy.sleep(retry.delayAfter(attempt, e.retryAfter()));
            }
        }
    }

    /** A failure worth starting the upload over for: the network broke, or the registry asked to retry. */
    private static final class UploadInterrupted extends IOException {
        private final transient RegistryException failure;
        private final String retryAfter;

        UploadInterrupted(String message, IOException cause, RegistryException failure, String retryAfter) {
            super(message, cause);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }

        RegistryException failure() {
            return failure;
        }

        String retryAfter() {
            return retryAfter;
        }
    }

    private void upload(Descriptor blob, BlobOpener content, Optional<String> mountFrom) throws IOException {
        String query = mountFrom.map(from -> "?mount=" + encode(blob.digest().toString()) + "&from=" + encode(from))
                .orElse("");
        Scope uploadScope = mountFrom.map(scope::mounting).orElse(scope);
        URI location;
        try (Response started = client.send(new RegistryClient.Call("POST",
                client.uri("/v2/" + repository + "/blobs/uploads/" + query), uploadScope))) {
            if (started.status() == 201) {
                return; // mounted: the registry had it in the other repository
            }
            location = expectStatus(started, 202, "starting the upload of " + blob.digest());
        }
        try (InputStream in = content.open()) {
            long sent = 0;
            if (blob.size() > chunkSize) {
                while (sent < blob.size()) {
                    byte[] chunk = in.readNBytes((int) Math.min(chunkSize, blob.size() - sent));
                    if (chunk.length == 0) {
                        break;
                    }
                    location = sendChunk(location, chunk, sent, blob);
                    sent += chunk.length;
                }
                finish(location, new byte[0], blob);
            } else {
                finish(location, in.readNBytes((int) blob.size()), blob);
            }
        } catch (UploadInterrupted e) {
            throw e;
        } catch (java.io.InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new UploadInterrupted(describe(e), e, null, null);
        }
    }

    private URI sendChunk(URI location, byte[] chunk, long offset, Descriptor blob) throws IOException {
        try (Response response = sendOnce(new RegistryClient.Call("PATCH", location, scope,
                chunk, "Content-Type", OCTET_STREAM,
                "Content-Range", offset + "-" + (offset + chunk.length - 1)))) {
            return expectStatus(response, 202, "uploading blob " + blob.digest());
        }
    }

    private void finish(URI location, byte[] lastBytes, Descriptor blob) throws IOException {
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI target = URI.create(location + separator + "digest=" + encode(blob.digest().toString()));
        try (Response response = sendOnce(new RegistryClient.Call("PUT", target, scope,
                lastBytes, "Content-Type", OCTET_STREAM))) {
            expectStatus(response, 201, "uploading blob " + blob.digest());
        }
    }

    /** Upload steps are not repeated one by one: a broken session is started over as a whole. */
    private Response sendOnce(RegistryClient.Call call) throws IOException {
        try {
            return client.send(call, 1);
        } catch (RegistryException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UploadInterrupted(describe(io), io, null, null);
            }
            throw e;
        }
    }

    /** Checks the status and returns the session's next location; a status worth retrying interrupts the upload. */
    private URI expectStatus(Response response, int expected, String what) throws IOException {
        if (response.status() == expected) {
            return response.header("Location").map(response.uri()::resolve).orElse(response.uri());
        }
        String retryAfter = response.header("Retry-After").orElse(null);
        RegistryException failure = client.failure(response, what);
        if (RetryPolicy.isRetryable(response.status())) {
            throw new UploadInterrupted(failure.getMessage(), null, failure, retryAfter);
        }
        throw failure;
    }

    @Override
    public void putManifest(ManifestBytes manifest) throws IOException {
        putManifest(manifest, manifest.digest().toString());
    }

    private void putManifest(ManifestBytes manifest, String reference) throws IOException {
        try (Response response = client.send(new RegistryClient.Call("PUT",
                client.uri("/v2/" + repository + "/manifests/" + reference), scope,
                manifest.bytesUnsafe(), "Content-Type", manifest.mediaType()))) {
            if (response.status() != 201) {
                throw client.failure(response, "pushing manifest " + repository + ":" + reference);
            }
        }
    }

    /** Points the reference's tag at the root; a reference without a tag names the root by digest, which it already is. */
    @Override
    public void tag(Reference name, ManifestBytes root) throws IOException {
        if (name.tag().isPresent()) {
            putManifest(root, name.tag().get());
        }
    }

    /** A registry makes each blob and manifest visible as it is accepted; there is nothing left to do. */
    @Override
    public void commit() {
    }

    @Override
    public void close() {
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
