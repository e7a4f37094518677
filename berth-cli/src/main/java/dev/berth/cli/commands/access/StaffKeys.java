package dev.berth.cli.commands.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.VerifyingKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The staff keys a berth registry lists for an image's trusted project, for {@code berth verify
 * --trusted}: the client checks the signatures itself, trusting the registry only to say which
 * keys its project's owners registered.
 */
public final class StaffKeys {
    private StaffKeys() {
    }

    public static List<AcceptedKey> of(RegistryFlags flags, Reference image) throws IOException {
        String project = image.repository().contains("/") ? image.repository().substring(0, image.repository().indexOf('/'))
                : image.repository();
        JsonNode keys;
        JsonNode details;
        try (AccessClient access = AccessClient.open(flags, image.registry())) {
            details = access.get("projects/" + AccessClient.segment("project", project));
            keys = access.get("projects/" + project + "/keys");
        }
        if (!details.path("trusted").asBoolean()) {
            throw new BerthException("PROJECT_UNTRUSTED", "project " + project + " on " + image.registry()
                    + " is not a trusted project: its images are untrusted; verify with --key or --keys instead");
        }
        List<AcceptedKey> accepted = new ArrayList<>();
        for (JsonNode key : keys) {
            String name = key.path("name").asText();
            accepted.add(new AcceptedKey(project + "/" + name, VerifyingKey.read(key.path("key").asText().getBytes(StandardCharsets.UTF_8),
                    "staff key " + name + " of project " + project)));
        }
        if (accepted.isEmpty()) {
            throw new BerthException("SIGNATURE_INVALID", "trusted project " + project + " on " + image.registry()
                    + " lists no staff keys: none of its images is trusted");
        }
        return accepted;
    }
}
