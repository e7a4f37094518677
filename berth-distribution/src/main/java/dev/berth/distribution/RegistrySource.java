package dev.berth.distribution;

import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.MediaType;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One repository of a registry, read through the distribution API. */
public final class RegistrySource implements ImageSource {
    /** Every manifest kind berth understands, so the registry need not convert to an older one. */
    static final String MANIFEST_ACCEPT = String.join(", ", MediaType.OCI_INDEX, MediaType.OCI_MANIFEST,
            MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST);

    private final RegistryClient client;
    private final String repository;
    private final Scope scope;
    private final Map<Digest, ManifestBytes> fetched = new ConcurrentHashMap<>();

    public RegistrySource(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
        this.scope = Scope.pull(repository);
    }

    public RegistryClient client() {
        return client;
    }

    public String repository() {
        return repository;
    }

    /** The root descriptor the reference's digest, else its tag (default {@code latest}), names. */
    public Descriptor resolve(Reference reference) throws IOException {
        String name = reference.digest().map(Digest::toString).orElse(reference.tag().orElse(Reference.DEFAULT_TAG));
        ManifestBytes manifest = fetch(name, reference.digest().orElse(null), null);
        return manifest.descriptor();
    }

    @Override
    public ManifestBytes manifest(Descriptor descriptor) throws IOException {
        ManifestBytes known = fetched.get(descriptor.digest());
        if (known != null) {
            return known;
        }
        return fetch(descriptor.digest().toString(), descriptor.digest(), descriptor.mediaType());
    }

    private ManifestBytes fetch(String tagOrDigest, Digest expected, String declaredType) throws IOException {
        RegistryClient.Call call = new RegistryClient.Call("GET",
                client.uri("/v2/" + repository + "/manifests/" + tagOrDigest), scope,
                null, "Accept", MANIFEST_ACCEPT);
        Response response = client.send(call);
        if (response.status() == 404) {
            response.close();
            throw new NotFoundException("no image " + client.registry() + "/" + repository
                    + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest + " (the registry does not know it)");
        }
        if (response.status() != 200) {
            throw client.failure(response, "fetching manifest " + repository + ":" + tagOrDigest);
        }
        byte[] bytes;
        try (InputStream body = response.body()) {
            bytes = body.readNBytes(ManifestBytes.MAX_SIZE + 1);
        }
        String contentType = response.header("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
        String declared = declaredType != null ? declaredType : contentType;
        String what = "manifest " + repository + ":" + tagOrDigest + " from " + client.registry();
        ManifestBytes manifest = expected != null
                ? ManifestBytes.parseVerified(bytes, declared, expected, what)
                : ManifestBytes.parse(bytes, declared);
        fetched.put(manifest.digest(), manifest);
        return manifest;
    }

    /**
     * The manifests that name {@code subject} as theirs (OCI 1.1 referrers: signatures,
     * attestations, SBOMs), as the registry lists them; none from a registry without the API.
     */
    public List<Descriptor> referrers(Digest subject) throws IOException {
        RegistryClient.Call call = new RegistryClient.Call("GET",
                client.uri("/v2/" + repository + "/referrers/" + subject), scope, null, "Accept", MediaType.OCI_INDEX);
        try (Response response = client.send(call)) {
            if (response.status() == 404) {
                return List.of();
            }
            if (response.status() != 200) {
                throw client.failure(response, "listing the referrers of " + repository + "@" + subject);
            }
            byte[] bytes = response.body().readNBytes(ManifestBytes.MAX_SIZE + 1);
            // the manifest parser, not the data binder: binding an index cold cost berth verify 90 ms
            try {
                return ManifestBytes.parse(bytes, MediaType.OCI_INDEX).index().manifests();
            } catch (InvalidImageException e) {
                throw new InvalidImageException("the referrers of " + repository + "@" + subject + " from "
                        + client.registry() + " are not an image index: " + e.getMessage());
            }
        }
    }

    @Override
    public InputStream blob(Descriptor descriptor) {
        return blob(descriptor, 0);
    }

    @Override
    public boolean remote() {
        return true;
    }

    /** Asks for the bytes from {@code offset} on with {@code Range}, as a resumed download does. */
    @Override
    public InputStream blob(Descriptor descriptor, long offset) {
        return new ResumingBlobStream(client, client.uri("/v2/" + repository + "/blobs/" + descriptor.digest()),
                scope, descriptor, offset);
    }
}
