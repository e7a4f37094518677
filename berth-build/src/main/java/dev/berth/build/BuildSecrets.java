package dev.berth.build;

import dev.berth.oci.BerthException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code berth build --secret} and {@code --ssh} give the build: secrets by id, and SSH agent
 * sockets by id. A RUN step sees one only while it runs, and only when it mounts it
 * ({@code RUN --mount=type=secret|ssh}); no content reaches a layer, the config, the step cache's
 * keys or the provenance. {@link #toString()} names the ids only, so no log line can print a secret.
 */
public final class BuildSecrets {
    /** BuildKit's bound, which keeps a secret a credential rather than a file to copy in. */
    public static final int MAX_SECRET_BYTES = 500 * 1024;
    public static final BuildSecrets NONE = new BuildSecrets(Map.of(), Map.of());

    private final Map<String, byte[]> secrets;
    private final Map<String, Path> agents;

    public BuildSecrets(Map<String, byte[]> secrets, Map<String, Path> agents) {
        Map<String, byte[]> copies = new LinkedHashMap<>();
        secrets.forEach((id, content) -> {
            if (content.length > MAX_SECRET_BYTES) {
                throw new BerthException("BUILD_SECRET_TOO_LARGE", "the secret " + id + " is " + content.length
                        + " bytes; a build secret may be up to " + MAX_SECRET_BYTES / 1024 + " KiB");
            }
            copies.put(id, content.clone());
        });
        this.secrets = Map.copyOf(copies);
        this.agents = Map.copyOf(agents);
    }

    Optional<byte[]> secret(String id) {
        return Optional.ofNullable(secrets.get(id)).map(byte[]::clone);
    }

    Optional<Path> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    @Override
    public String toString() {
        return "secrets " + new TreeSet<>(secrets.keySet()) + ", ssh " + new TreeSet<>(agents.keySet());
    }
}
