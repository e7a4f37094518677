package dev.berth.registry.trust;

import dev.berth.oci.Digest;
import dev.berth.registry.Registry;
import dev.berth.registry.access.AccessPolicy;
import dev.berth.registry.meta.ProjectKeys;
import dev.berth.registry.meta.Projects;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.SignatureCheck;
import dev.berth.trust.TagSchemeVerifier;
import dev.berth.trust.VerifyingKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an image is trusted, decided now: it is when its project is trusted and a valid cosign
 * signature by one of the project's staff keys covers its digest. Nothing is cached, so removing
 * a key or moving a tag changes the answer at once. Images of other projects are untrusted.
 */
public final class ImageTrust {
    /** A staff key's valid signature: which key, and when the signer said it signed. */
    public record Signer(String key, String fingerprint, String timestamp) {
    }

    /** {@code projectTrusted}: whether the image's project vouches for anything at all. */
    public record State(Digest digest, boolean projectTrusted, boolean trusted, List<Signer> signers) {
    }

    private final Registry registry;
    private final Projects projects;
    private final ProjectKeys keys;

    public ImageTrust(Registry registry, Projects projects, ProjectKeys keys) {
        this.registry = registry;
        this.projects = projects;
        this.keys = keys;
    }

    public State of(String repository, Digest digest) throws IOException {
        Optional<Projects.Project> project = projects.byName(AccessPolicy.projectOf(repository)).filter(Projects.Project::trusted);
        if (project.isEmpty()) {
            return new State(digest, false, false, List.of());
        }
        List<AcceptedKey> accepted = new ArrayList<>();
        for (ProjectKeys.StaffKey key : keys.of(project.get())) {
            accepted.add(new AcceptedKey(key.name(), VerifyingKey.read(key.publicKey().getBytes(StandardCharsets.UTF_8),
                    "staff key " + key.name())));
        }
        List<Signer> signers = new ArrayList<>();
        for (TagSchemeVerifier.Finding finding : TagSchemeVerifier.check(new StoredSignatures(registry, repository), digest, accepted)) {
            SignatureCheck check = finding.check();
            if (check.valid()) {
                AcceptedKey key = check.signer().orElseThrow();
                signers.add(new Signer(key.name(), key.key().fingerprint().toString(),
                        check.payload().flatMap(p -> p.timestamp()).map(Object::toString).orElse(null)));
            }
        }
        return new State(digest, true, !signers.isEmpty(), signers);
    }
}
