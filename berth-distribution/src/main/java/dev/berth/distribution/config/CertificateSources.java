package dev.berth.distribution.config;

import dev.berth.distribution.RegistryException;
import dev.berth.oci.HomeDirectory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLS material for registries outside berth's config file, where the tools people know look
 * for it: the operating system's CA bundle ({@code $SSL_CERT_FILE}, as OpenSSL and Go read it,
 * else the distribution's), which holds the site CAs an admin installed with
 * {@code update-ca-certificates}; and containers-certs.d(5) directories
 * ({@code /etc/containers/certs.d}, {@code /etc/docker/certs.d},
 * {@code ~/.config/containers/certs.d}) with a directory per registry {@code host[:port]}, in
 * which each {@code *.crt} is a trusted CA and a {@code *.cert} with the {@code *.key} of the
 * same name is a client certificate.
 */
public record CertificateSources(Optional<Path> systemBundle, List<Path> directories) {
    public static final CertificateSources NONE = new CertificateSources(Optional.empty(), List.of());
    private static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/cert.pem"));

    public CertificateSources {
        directories = List.copyOf(directories);
    }

    public static CertificateSources fromEnvironment(Map<String, String> environment) {
        String named = environment.get("SSL_CERT_FILE");
        Optional<Path> bundle = named != null && !named.isBlank() ? Optional.of(Path.of(named))
                : SYSTEM_BUNDLES.stream().filter(Files::isRegularFile).findFirst();
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path userConfig = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : HomeDirectory.of(environment).resolve(".config");
        return new CertificateSources(bundle, List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"),
                userConfig.resolve("containers").resolve("certs.d")));
    }

    /** {@code settings} with the system bundle and what the certificate directories hold for {@code host}. */
    RegistrySettings addTo(String host, RegistrySettings settings) {
        List<Path> bundles = new ArrayList<>();
        systemBundle.ifPresent(bundles::add);
        Optional<RegistrySettings.ClientCertificate> client = Optional.empty();
        for (Path root : directories) {
            Path directory = root.resolve(host);
            if (host.contains("/") || host.startsWith(".") || !Files.isDirectory(directory)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : sorted(files)) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".crt")) {
                        bundles.add(file);
                    } else if (name.endsWith(".cert") && client.isEmpty()) {
                        Path key = file.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
                        if (!Files.isRegularFile(key)) {
                            throw new RegistryException("CONFIG_INVALID", "the client certificate " + file + " has no key "
                                    + key.getFileName() + " beside it");
                        }
                        client = Optional.of(new RegistrySettings.ClientCertificate(file, key));
                    }
                }
            } catch (IOException e) {
                throw new RegistryException("CONFIG_INVALID", "cannot read the certificates in " + directory + ": " + e.getMessage(), e);
            }
        }
        return settings.with(bundles, client);
    }

    private static List<Path> sorted(DirectoryStream<Path> files) {
        List<Path> list = new ArrayList<>();
        files.forEach(list::add);
        list.sort(null);
        return list;
    }
}
