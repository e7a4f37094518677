package dev.berth.cli.commands.trust;

import dev.berth.distribution.RegistryClient;
import dev.berth.distribution.RegistrySource;
import dev.berth.distribution.auth.Scope;
import dev.berth.distribution.http.Response;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.AttestationReferrer;
import dev.berth.trust.SigstoreBundle;
import dev.berth.trust.VerifyingKey;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The Sigstore bundles attached to an image as referrers, read over HTTP with their sizes and digests checked. */
final class Attestations {
    /** One attached bundle: the predicate type its referrer announces, and its bytes if they are what the layer names. */
    record Attached(Digest referrer, String predicateType, Optional<byte[]> bundle) {
    }

    private Attestations() {
    }

    static List<Attached> of(RegistrySource source, Digest subject) throws IOException {
        return of(source, subject, predicateType -> true);
    }

    /**
     * The bundles whose predicate type {@code wanted} accepts. A referrer whose listing already
     * announces another predicate is not fetched; the others are fetched side by side.
     */
    static List<Attached> of(RegistrySource source, Digest subject, Predicate<String> wanted) throws IOException {
        List<Descriptor> candidates = source.referrers(subject).stream()
                .filter(referrer -> SigstoreBundle.MEDIA_TYPE.equals(referrer.artifactType()))
                .filter(referrer -> {
                    String announced = referrer.annotations().get(AttestationReferrer.PREDICATE_ANNOTATION);
                    return announced == null || wanted.test(announced);
                })
                .toList();
        List<Optional<Attached>> read = Concurrently.map(candidates, referrer -> read(source, referrer));
        return read.stream().flatMap(Optional::stream).filter(attached -> wanted.test(attached.predicateType())).toList();
    }

    private static Optional<Attached> read(RegistrySource source, Descriptor referrer) throws IOException {
        ManifestBytes manifest = source.manifest(referrer);
        if (manifest.isIndex() || manifest.manifest().layers().size() != 1) {
            return Optional.empty();
        }
        Descriptor layer = manifest.manifest().layers().getFirst();
        String predicateType = manifest.manifest().annotations() == null ? ""
                : manifest.manifest().annotations().getOrDefault(AttestationReferrer.PREDICATE_ANNOTATION, "");
        return Optional.of(new Attached(manifest.digest(), predicateType, bundle(source, layer)));
    }

    private static Optional<byte[]> bundle(RegistrySource source, Descriptor layer) {
        if (layer.size() > SigstoreBundle.MAX_SIZE) {
            return Optional.empty();
        }
        try (InputStream in = source.blob(layer)) {
            byte[] bytes = in.readNBytes(SigstoreBundle.MAX_SIZE + 1);
            return bytes.length == layer.size() && Digest.of(layer.digest().algorithm(), bytes).equals(layer.digest())
                    ? Optional.of(bytes) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The key a berth registry signs its push attestations with, or empty for a registry that has none. */
    static Optional<AcceptedKey> registryKey(RegistrySource source) throws IOException {
        RegistryClient client = source.client();
        try (Response response = client.send(new RegistryClient.Call("GET", client.uri("/berth/v1/attestation-key"),
                Scope.REGISTRY))) {
            if (response.status() != 200) {
                return Optional.empty();
            }
            byte[] pem = response.body().readNBytes(64 * 1024);
            return Optional.of(new AcceptedKey("the registry " + client.registry(),
                    VerifyingKey.read(pem, "the attestation key of " + client.registry())));
        }
    }
}
