package dev.berth.runtime.site;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The site's configuration, {@code /etc/berth/berth.toml}: what the admin gives every container
 * on this machine (default binds, modules), where images are cached (a shared read-only cache,
 * a node-local directory for prepared images) and which registries images may be pulled from.
 * {@link SiteConfigReader} reads it; users can only narrow it ({@link SiteChoice}).
 *
 * @param file              where it was looked for
 * @param inUse             false when there is none, or when it was ignored as not the admin's
 * @param preparedDirectory node-local; each user's cache is a private directory in it
 * @param allowedRegistries empty: every registry
 * @param modules           by name, in the file's order
 */
public record SiteConfig(Path file, boolean inUse, List<Bind> defaultBinds, Optional<Path> sharedCache,
                         Optional<Path> preparedDirectory, List<String> allowedRegistries, Map<String, SiteModule> modules) {
    public SiteConfig {
        defaultBinds = List.copyOf(defaultBinds);
        allowedRegistries = List.copyOf(allowedRegistries);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** No site settings: the file is absent, or not to be trusted. */
    public static SiteConfig none(Path file) {
        return new SiteConfig(file, false, List.of(), Optional.empty(), Optional.empty(), List.of(), Map.of());
    }

    /** The modules {@code choice} enables, in the file's order; a name the site does not define is an error. */
    public List<SiteModule> enabledModules(SiteChoice choice) {
        List<String> named = new ArrayList<>(choice.modules());
        named.addAll(choice.leftOut());
        for (String name : named) {
            if (!modules.containsKey(name)) {
                throw new BerthException("MODULE_UNKNOWN", "no module \"" + name + "\" in the site configuration " + file + "; "
                        + (inUse ? (modules.isEmpty() ? "it defines none" : "it defines: " + String.join(", ", modules.keySet()))
                        : "there is none on this machine"));
            }
        }
        return modules.values().stream().filter(choice::enables).toList();
    }

    /**
     * Refuses a pull from a registry the site does not allow. This limits what berth downloads,
     * not what runs: images that reach the store otherwise are the execution policy's business.
     */
    public void requirePullAllowed(String registry) {
        if (!allowedRegistries.isEmpty() && !allowedRegistries.contains(registry)) {
            throw new BerthException("REGISTRY_NOT_ALLOWED", "the site configuration " + file + " does not allow pulls from "
                    + registry + "; [registries] allowed lists " + String.join(", ", allowedRegistries));
        }
    }
}
