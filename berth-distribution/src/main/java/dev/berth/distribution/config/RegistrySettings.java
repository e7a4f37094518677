package dev.berth.distribution.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What the config file says about one registry.
 *
 * @param insecure  plain HTTP is allowed (it always is for loopback addresses)
 * @param caBundle  PEM certificates trusted for this registry in addition to the system's, or null
 * @param mirrors   registries tried first for pulls, in order, before the registry itself
 */
public record RegistrySettings(boolean insecure, Path caBundle, List<String> mirrors) {
    public static final RegistrySettings DEFAULT = new RegistrySettings(false, null, List.of());

    public RegistrySettings {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    public RegistrySettings withInsecure(boolean newInsecure) {
        return new RegistrySettings(newInsecure, caBundle, mirrors);
    }
}
