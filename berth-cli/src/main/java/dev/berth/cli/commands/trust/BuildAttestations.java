package dev.berth.cli.commands.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.build.provenance.BuildProvenance;
import dev.berth.distribution.Registries;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.ImageSource;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.Dsse;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.InvalidSignatureException;
import dev.berth.trust.SigningKey;
import dev.berth.trust.SigstoreBundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Build provenance beside images: signed and attached to a pushed image ({@code build --push
 * --sign-with}), and found again for {@code build --verify} in the local store, where the build
 * left it, or in a registry, where it counts only when signed by a key the caller names.
 */
public final class BuildAttestations {
    /** An image's manifest and config, and the provenance recorded for it. */
    public record RecordedBuild(String subject, ManifestBytes manifest, JsonNode config, BuildProvenance provenance) {
    }

    private BuildAttestations() {
    }

    /** Signs {@code statement} with the key in {@code keyFile} and attaches it to the image {@code name} names in its registry. */
    public static Digest attachSigned(Registries registries, Reference name, InTotoStatement statement, Path keyFile) throws IOException {
        SigningKey key = SigningKey.open(Files.readAllBytes(keyFile), KeyPassword.forOpening(keyFile.toString()), keyFile.toString());
        Registries.Resolved resolved = registries.resolve(name);
        return new ReferrerStore(resolved.source()).attach(resolved.root(), SigstoreBundle.sign(statement, key),
                statement.predicateType());
    }

    /**
     * The image {@code reference} names and its newest build provenance: from the local store when
     * it has the image, else from the registry, signed by one of {@code keyFiles}.
     */
    public static RecordedBuild find(String reference, LocalStore store, Registries registries, AcceptedKeys acceptedKeys)
            throws IOException {
        Optional<ImageRecord> local = store.find(reference);
        if (local.isPresent()) {
            ManifestBytes manifest = platformManifest(store, local.get().root());
            List<BuildProvenance> recorded = new ArrayList<>();
            for (ManifestBytes referrer : store.referrers(manifest.digest())) {
                unsignedProvenance(store, referrer, manifest.digest()).ifPresent(recorded::add);
            }
            return newest(local.get().name().toString(), store, manifest, recorded, "the local store has no build provenance for "
                    + reference + " (it was not built here; name its registry copy, whose provenance is signed)");
        }
        if (!acceptedKeys.any()) {
            throw new BerthException("USAGE", reference + " is not in the local store: to use the provenance its registry holds, "
                    + "name the key that signed it with --key");
        }
        List<AcceptedKey> keys = acceptedKeys.load();
        Reference name = Reference.parseNormalized(reference);
        Registries.Resolved resolved = registries.resolve(name);
        ManifestBytes manifest = platformManifest(resolved.source(), resolved.root());
        List<BuildProvenance> recorded = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Attestations.Attached attached : Attestations.of(resolved.source(), manifest.digest(),
                InTotoStatement.SLSA_PROVENANCE::equals)) {
            try {
                SigstoreBundle.Verified verified = SigstoreBundle.verify(attached.bundle().orElseThrow(() ->
                        new InvalidSignatureException("its bundle blob does not match the layer digest")), keys, manifest.digest());
                recorded.add(BuildProvenance.read(verified.statement().predicate()));
            } catch (InvalidSignatureException e) {
                refused.add("referrer " + attached.referrer() + ": " + e.getMessage());
            }
        }
        return newest(name.name() + "@" + manifest.digest(), resolved.source(), manifest, recorded,
                "no build provenance signed by an accepted key is attached to " + reference
                        + (refused.isEmpty() ? "" : " (refused: " + String.join("; ", refused) + ")"));
    }

    private static Optional<BuildProvenance> unsignedProvenance(LocalStore store, ManifestBytes referrer, Digest subject)
            throws IOException {
        if (referrer.isIndex() || !Dsse.IN_TOTO_PAYLOAD_TYPE.equals(referrer.artifactType())
                || referrer.manifest().layers().size() != 1) {
            return Optional.empty();
        }
        InTotoStatement statement = InTotoStatement.parse(store.readBlob(referrer.manifest().layers().getFirst().digest()), subject);
        return statement.predicateType().equals(InTotoStatement.SLSA_PROVENANCE)
                ? Optional.of(BuildProvenance.read(statement.predicate())) : Optional.empty();
    }

    private static RecordedBuild newest(String subject, ImageSource source, ManifestBytes manifest, List<BuildProvenance> recorded,
                                        String none) throws IOException {
        BuildProvenance provenance = recorded.stream().max(Comparator.comparing(BuildProvenance::finishedOn))
                .orElseThrow(() -> new BerthException("PROVENANCE_MISSING", none));
        Descriptor config = manifest.manifest().config();
        try (InputStream in = source.blob(config)) {
            byte[] bytes = in.readNBytes(ManifestBytes.MAX_SIZE);
            if (!Digest.of(config.digest().algorithm(), bytes).equals(config.digest())) {
                throw new BerthException("DIGEST_MISMATCH", "the config of " + subject + " does not match its digest " + config.digest());
            }
            return new RecordedBuild(subject, manifest, Json.tree(bytes, "the config of " + subject), provenance);
        }
    }

    private static ManifestBytes platformManifest(ImageSource source, Descriptor root) throws IOException {
        ManifestBytes manifest = source.manifest(root);
        return manifest.isIndex() ? source.manifest(ImageCopier.choose(manifest, Platform.host())) : manifest;
    }

    /** The manifest {@code digest} names in the local store, and its config. */
    public static RecordedBuild stored(LocalStore store, Digest digest, BuildProvenance provenance) throws IOException {
        ManifestBytes manifest = ManifestBytes.parseVerified(store.readBlob(digest), null, digest, "manifest " + digest);
        return new RecordedBuild(digest.toString(), manifest,
                Json.tree(store.readBlob(manifest.manifest().config().digest()), "the config of " + digest), provenance);
    }
}
