package dev.berth.distribution.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What berth knows about one registry: from the config file, and from the certificate
 * directories of the machine ({@link CertificateSources}).
 *
 * @param insecure  plain HTTP is allowed (it always is for loopback addresses)
 * @param caBundles PEM files of certificates trusted for this registry besides the JDK's roots
 * @param client    the certificate and key berth shows a registry that asks for one (mutual TLS), if any
 * @param mirrors   registries tried first for pulls, in order, before the registry itself
 */
public record RegistrySettings(boolean insecure, List<Path> caBundles, Optional<ClientCertificate> client, List<String> mirrors) {
    public static final RegistrySettings DEFAULT = new RegistrySettings(false, List.of(), Optional.empty(), List.of());

    /** A PEM certificate (chain) and its PEM private key (PKCS#8). */
    public record ClientCertificate(Path certificate, Path key) {
    }

    public RegistrySettings {
        caBundles = List.copyOf(caBundles);
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    public RegistrySettings withInsecure(boolean newInsecure) {
        return new RegistrySettings(newInsecure, caBundles, client, mirrors);
    }

    /** These settings, trusting {@code more} as well and showing {@code fallbackClient} when they name no client certificate. */
    RegistrySettings with(List<Path> more, Optional<ClientCertificate> fallbackClient) {
        List<Path> bundles = new ArrayList<>(caBundles);
        bundles.addAll(more);
        return new RegistrySettings(insecure, bundles, client.or(() -> fallbackClient), mirrors);
    }
}
