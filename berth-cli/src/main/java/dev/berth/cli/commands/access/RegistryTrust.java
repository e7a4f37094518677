package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;

import java.io.IOException;
import java.util.Optional;

/**
 * What a berth registry says of an image's trust (its project trusted, a staff key's signature
 * on the digest, who signed), for {@code berth inspect docker://REF}. Other registries have no
 * such answer, and one that will not give it leaves the trust unknown rather than failing the
 * inspection.
 */
public final class RegistryTrust {
    private RegistryTrust() {
    }

    public static Optional<JsonNode> of(RegistryFlags flags, Reference image, Digest digest) throws IOException {
        RepositoryRef repository = new RepositoryRef(image.registry(), image.repository());
        try (AccessClient access = AccessClient.open(flags, image.registry())) {
            return Optional.ofNullable(access.get(repository.path("trust") + "?reference=" + digest));
        } catch (BerthException noAnswer) {
            return Optional.empty();
        }
    }
}
