package dev.berth.distribution.config;

import dev.berth.distribution.RegistryException;
import dev.berth.distribution.http.Proxies;
import dev.berth.oci.ByteSize;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.Toml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * berth's config file: {@code $XDG_CONFIG_HOME/berth/config.toml} (default
 * {@code ~/.config/berth/config.toml}), else {@code /etc/berth/config.toml}. The registry part:
 *
 * <pre>
 * [registries."registry.example.org"]
 * insecure = true                      # plain HTTP allowed
 * ca = "/etc/ssl/site-ca.pem"          # extra trusted certificates (PEM)
 * client_certificate = "me.pem"        # shown to a registry that asks for one (mutual TLS)
 * client_key = "me.key"                # its private key (PEM, PKCS#8)
 * mirrors = ["mirror.example.org"]     # tried first for pulls
 * </pre>
 *
 * and the build part:
 *
 * <pre>
 * [build]
 * cache_limit = "20GB"                 # the build step cache's size limit (a {@link ByteSize})
 * </pre>
 *
 * With it come the proxies the environment names ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
 * {@code NO_PROXY}: see {@link Proxies}) and the machine's certificates ({@link CertificateSources}).
 */
public final class BerthConfig {
    public static final BerthConfig EMPTY = new BerthConfig(Map.of(), Optional.empty(), Proxies.NONE, CertificateSources.NONE);
    private static final long MAX_SIZE = 1 << 20;
    private static final String REGISTRIES = "registries.";
    private static final String BUILD = "build";

    private final Map<String, RegistrySettings> registries;
    private final Optional<Long> buildCacheLimit;
    private final Proxies proxies;
    private final CertificateSources certificates;

    private BerthConfig(Map<String, RegistrySettings> registries, Optional<Long> buildCacheLimit, Proxies proxies,
                        CertificateSources certificates) {
        this.registries = Map.copyOf(registries);
        this.buildCacheLimit = buildCacheLimit;
        this.proxies = proxies;
        this.certificates = certificates;
    }

    /**
     * The first config file that exists, for the given environment (empty when there is none),
     * with the environment's proxies and the machine's certificates.
     */
    public static BerthConfig load(Map<String, String> environment) throws IOException {
        BerthConfig config = EMPTY;
        for (Path candidate : candidates(environment)) {
            if (Files.isRegularFile(candidate)) {
                config = load(candidate);
                break;
            }
        }
        try {
            return config.withProxies(Proxies.fromEnvironment(environment))
                    .withCertificates(CertificateSources.fromEnvironment(environment));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("CONFIG_INVALID", e.getMessage());
        }
    }

    /** The config files berth reads, first found wins: BERTH_CONFIG, else the user's, then the site's. */
    public static List<Path> candidates(Map<String, String> environment) {
        String explicit = environment.get("BERTH_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return List.of(Path.of(explicit));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path user = xdg != null && !xdg.isBlank() ? Path.of(xdg, "berth", "config.toml")
                : HomeDirectory.of(environment).resolve(".config/berth/config.toml");
        return List.of(user, Path.of("/etc/berth/config.toml"));
    }

    public static BerthConfig load(Path file) throws IOException {
        if (Files.size(file) > MAX_SIZE) {
            throw new RegistryException("CONFIG_INVALID", file + " is larger than " + MAX_SIZE + " bytes");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), file.toAbsolutePath().getParent());
    }

    /** Parses config text; relative CA paths resolve against {@code baseDir}. */
    public static BerthConfig parse(String text, String source, Path baseDir) {
        Map<String, RegistrySettings> registries = new LinkedHashMap<>();
        Optional<Long> buildCacheLimit = Optional.empty();
        for (Map.Entry<String, Map<String, Object>> table : Toml.tables(text, source).entrySet()) {
            if (table.getKey().equals(BUILD)) {
                buildCacheLimit = buildCacheLimit(table.getValue(), source + " [build]");
                continue;
            }
            if (!table.getKey().startsWith(REGISTRIES)) {
                if (!table.getValue().isEmpty()) {
                    String where = table.getKey().isEmpty() ? "at the top" : "[" + table.getKey() + "]";
                    throw new RegistryException("CONFIG_INVALID", source + ": unknown setting \""
                            + table.getValue().keySet().iterator().next() + "\" " + where
                            + " (berth's config has [registries.\"HOST\"] and [build] tables only)");
                }
                continue;
            }
            String host = table.getKey().substring(REGISTRIES.length());
            registries.put(host, settings(table.getValue(), source + " [registries.\"" + host + "\"]", baseDir));
        }
        return new BerthConfig(registries, buildCacheLimit, Proxies.NONE, CertificateSources.NONE);
    }

    public BerthConfig withProxies(Proxies newProxies) {
        return new BerthConfig(registries, buildCacheLimit, newProxies, certificates);
    }

    public BerthConfig withCertificates(CertificateSources newCertificates) {
        return new BerthConfig(registries, buildCacheLimit, proxies, newCertificates);
    }

    /** {@code [build] cache_limit} in bytes, when the file sets it. */
    public Optional<Long> buildCacheLimit() {
        return buildCacheLimit;
    }

    private static Optional<Long> buildCacheLimit(Map<String, Object> values, String where) {
        Optional<Long> limit = Optional.empty();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (!entry.getKey().equals("cache_limit")) {
                throw new RegistryException("CONFIG_INVALID", where + ": unknown setting \"" + entry.getKey() + "\" (known: cache_limit)");
            }
            String text = entry.getValue() instanceof String string ? string : String.valueOf(entry.getValue());
            limit = Optional.of(ByteSize.parse(text).orElseThrow(() -> new RegistryException("CONFIG_INVALID", where
                    + ": cache_limit must be a size such as \"20GB\" (units B, K, M, G, T), not \"" + text + "\"")));
        }
        return limit;
    }

    public Proxies proxies() {
        return proxies;
    }

    private static RegistrySettings settings(Map<String, Object> values, String where, Path baseDir) {
        boolean insecure = false;
        Path ca = null;
        Path clientCertificate = null;
        Path clientKey = null;
        List<String> mirrors = List.of();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            switch (entry.getKey()) {
                case "insecure" -> insecure = require(value, Boolean.class, where, "insecure", "true or false");
                case "ca" -> ca = baseDir.resolve(require(value, String.class, where, "ca", "a \"path\""));
                case "client_certificate" -> clientCertificate = baseDir.resolve(require(value, String.class, where,
                        "client_certificate", "a \"path\""));
                case "client_key" -> clientKey = baseDir.resolve(require(value, String.class, where, "client_key", "a \"path\""));
                case "mirrors" -> mirrors = requireStrings(value, where);
                default -> throw new RegistryException("CONFIG_INVALID", where + ": unknown setting \"" + entry.getKey()
                        + "\" (known: insecure, ca, client_certificate, client_key, mirrors)");
            }
        }
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new RegistryException("CONFIG_INVALID", where + ": client_certificate and client_key go together");
        }
        return new RegistrySettings(insecure, ca == null ? List.of() : List.of(ca),
                clientCertificate == null ? Optional.empty()
                        : Optional.of(new RegistrySettings.ClientCertificate(clientCertificate, clientKey)), mirrors);
    }

    private static <T> T require(Object value, Class<T> type, String where, String key, String expected) {
        if (!type.isInstance(value)) {
            throw new RegistryException("CONFIG_INVALID", where + ": " + key + " must be " + expected);
        }
        return type.cast(value);
    }

    private static List<String> requireStrings(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw new RegistryException("CONFIG_INVALID", where + ": mirrors must be a list of \"host[:port]\" strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** The settings for a registry host: the file's (defaults when it does not mention it) and the machine's certificates. */
    public RegistrySettings registry(String host) {
        return certificates.addTo(host, Optional.ofNullable(registries.get(host)).orElse(RegistrySettings.DEFAULT));
    }
}
