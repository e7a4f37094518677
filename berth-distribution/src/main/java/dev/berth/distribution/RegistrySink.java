package dev.berth.distribution;

import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.RequestBody;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.BlobOpener;
import dev.berth.oci.transfer.ImageSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One repository of a registry, written through the distribution API. Blobs the registry
 * already has are skipped (HEAD), blobs it has in another repository are mounted, small blobs go
 * up in one request and large ones in chunks; an interrupted upload resumes where the registry
 * says it stands (see {@link BlobUpload}). Manifests are written when the copy puts them, which is after their children.
 */
public final class RegistrySink implements ImageSink {
    public static final int DEFAULT_CHUNK_SIZE = 32 << 20;

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

    /**
     * Uploads a blob, resuming an interrupted session where the registry says it stands. It gives
     * up after the retry policy's attempts in a row that brought no byte further.
     */
    @Override
    public void putBlob(Descriptor descriptor, BlobOpener content) throws IOException {
        RetryPolicy retry = client.retryPolicy();
        Optional<String> mountFrom = mountSources.apply(descriptor.digest()).filter(from -> !from.equals(repository));
        BlobUpload upload = new BlobUpload(client, repository, scope, descriptor, content, chunkSize);
        long furthest = 0;
        for (int attempt = 1, withoutProgress = 1; ; attempt++, withoutProgress++) {
            try {
                upload.attempt(attempt == 1 ? mountFrom : Optional.empty());
                return;
            } catch (BlobUpload.Interrupted e) {
                if (upload.sent() > furthest) {
                    furthest = upload.sent();
                    withoutProgress = 1;
                }
                if (withoutProgress >= retry.attempts()) {
                    upload.abandon();
                    throw e.failure() != null ? e.failure() : new RegistryException("REGISTRY_UNAVAILABLE", "upload of blob "
                            + descriptor.digest() + " to " + client.registry() + "/" + repository + " failed: "
                            + e.getMessage() + " (gave up after " + attempt + " attempts)", e);
                }
                RetryPolicy.sleep(retry.delayAfter(withoutProgress, e.retryAfter()));
            } catch (IOException | RuntimeException e) {
                upload.abandon();
                throw e;
            }
        }
    }

    @Override
    public void putManifest(ManifestBytes manifest) throws IOException {
        putManifest(manifest, manifest.digest().toString());
    }

    private void putManifest(ManifestBytes manifest, String reference) throws IOException {
        try (Response response = client.send(new RegistryClient.Call("PUT",
                client.uri("/v2/" + repository + "/manifests/" + reference), scope,
                RequestBody.of(manifest.bytesUnsafe()), "Content-Type", manifest.mediaType()))) {
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
}
