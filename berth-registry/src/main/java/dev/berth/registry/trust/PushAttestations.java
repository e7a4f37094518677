package dev.berth.registry.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryManifests;
import dev.berth.registry.TagChanges;
import dev.berth.trust.AttestationReferrer;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.SigningKey;
import dev.berth.trust.SigstoreBundle;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The registry's own record of who pushed an image, so that "who" does not rest on the pusher's
 * word: for each image manifest pushed, an in-toto statement naming the pushing account (user
 * or robot), when, from which address, with which client, under which tags — signed by the
 * registry's key in a Sigstore bundle and attached to the image as an OCI 1.1 referrer.
 * Referrers themselves (signatures, attestations) and cosign's attachment tags are not attested.
 */
public final class PushAttestations {
    private static final Pattern COSIGN_ATTACHMENT = Pattern.compile("sha256-[0-9a-f]{64}\\.(sig|att|sbom)");

    private final Registry registry;
    private final SigningKey key;

    public PushAttestations(Registry registry, SigningKey key) {
        this.registry = registry;
        this.key = key;
    }

    public void record(String repository, RepositoryManifests.PushedManifest pushed, TagChanges.Actor actor) throws IOException {
        if (pushed.subject() != null || (!pushed.tags().isEmpty()
                && pushed.tags().stream().allMatch(tag -> COSIGN_ATTACHMENT.matcher(tag).matches()))) {
            return;
        }
        ObjectNode predicate = Json.mapper().createObjectNode();
        predicate.put("repository", repository);
        predicate.putArray("tags").addAll(pushed.tags().stream().map(Json.mapper().getNodeFactory()::textNode).toList());
        predicate.putObject("pusher").put("name", actor.name()).put("kind", actor.kind());
        predicate.put("address", actor.address());
        predicate.put("client", actor.client());
        predicate.put("pushedAt", Instant.now().toString());
        byte[] bundle = SigstoreBundle.sign(new InTotoStatement(repository, pushed.digest(), InTotoStatement.BERTH_PUSH, predicate), key);
        AttestationReferrer referrer = AttestationReferrer.signed(pushed.descriptor(), bundle, InTotoStatement.BERTH_PUSH);
        registry.blobs().putBlob(repository, referrer.config());
        registry.blobs().putBlob(repository, referrer.content());
        registry.manifests().putManifest(repository, referrer.manifest().digest().toString(), MediaType.OCI_MANIFEST,
                referrer.manifest().bytesUnsafe(), List.of(), actor);
    }
}
