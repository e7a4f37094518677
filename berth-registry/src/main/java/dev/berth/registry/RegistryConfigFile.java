package dev.berth.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.Toml;
import dev.berth.registry.access.AccessConfig;
import dev.berth.registry.access.LdapConfig;
import dev.berth.registry.access.OidcConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the registry's config file (TOML, through berth's one reader): top-level keys, and the
 * {@code [auth]} table, whose presence alone turns authentication on, with its {@code [auth.ldap]}
 * and {@code [auth.oidc]} sub-tables. Unknown tables and keys are errors that name them. Keys are
 * documented in docs/registry.md and docs/access.md.
 */
public final class RegistryConfigFile {
    private static final Set<String> TABLES = Set.of("", "auth", "auth.ldap", "auth.oidc");

    private RegistryConfigFile() {
    }

    public static RegistryConfig read(Path file, RegistryConfig base) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BerthException("CONFIG_INVALID", "registry config file " + file + " does not exist");
        }
        Map<String, Map<String, Object>> tables = Toml.tables(text, file.toString());
        for (String table : tables.keySet()) {
            if (!TABLES.contains(table)) {
                throw new BerthException("CONFIG_INVALID", file + ": unknown table [" + table
                        + "]: the tables are [auth], [auth.ldap] and [auth.oidc]");
            }
        }
        RegistryConfig config = base;
        try {
            for (Map.Entry<String, Object> entry : tables.getOrDefault("", Map.of()).entrySet()) {
                config = apply(config, entry.getKey(), text(entry.getValue()), file.toAbsolutePath().getParent());
            }
            if (tables.containsKey("auth") || tables.containsKey("auth.ldap") || tables.containsKey("auth.oidc")) {
                AccessConfig auth = config.auth() == null ? AccessConfig.defaults() : config.auth();
                for (Map.Entry<String, Object> entry : tables.getOrDefault("auth", Map.of()).entrySet()) {
                    auth = applyAuth(auth, entry.getKey(), text(entry.getValue()));
                }
                if (tables.containsKey("auth.ldap")) {
                    auth = auth.withLdap(LdapConfig.from(texts(tables.get("auth.ldap"))));
                }
                if (tables.containsKey("auth.oidc")) {
                    auth = auth.withOidc(OidcConfig.from(texts(tables.get("auth.oidc"))));
                }
                config = config.withAuth(auth);
            }
        } catch (IllegalArgumentException e) {
            throw new BerthException("CONFIG_INVALID", file + ": " + e.getMessage());
        }
        return config;
    }

    /** A value as the settings read it: booleans and numbers as they are written. */
    private static String text(Object value) {
        if (value instanceof List<?>) {
            throw new IllegalArgumentException("lists are not settings of the registry");
        }
        return String.valueOf(value);
    }

    private static Map<String, String> texts(Map<String, Object> table) {
        Map<String, String> values = new LinkedHashMap<>();
        table.forEach((key, value) -> values.put(key, text(value)));
        return values;
    }

    private static RegistryConfig apply(RegistryConfig config, String key, String value, Path base) {
        return switch (key) {
            case "listen" -> {
                HostPort listen = HostPort.parse(value);
                yield config.withListen(listen.host(), listen.port());
            }
            case "root" -> config.withRoot(base.resolve(value));
            case "delete-enabled" -> config.withDeleteEnabled(bool(value));
            case "gc-interval" -> config.withGc(duration(value), config.gcGrace());
            case "gc-grace" -> config.withGc(config.gcInterval(), duration(value));
            case "upload-expiry" -> config.withUploadExpiry(duration(value));
            case "untagged-retention" -> config.withUntaggedRetention(value.strip().equals("forever") ? null : duration(value));
            case "tls-certificate" -> config.withTls(base.resolve(value), config.tlsKey());
            case "tls-key" -> config.withTls(config.tlsCertificate(), base.resolve(value));
            case "manifest-cache-mib" -> config.withManifestCacheBytes(Long.parseLong(value) << 20);
            case "access-log" -> config.withAccessLog(bool(value));
            case "max-connections" -> config.withLimits(positive(key, value), config.maxUploads());
            case "max-uploads" -> config.withLimits(config.maxConnections(), positive(key, value));
            case "open" -> config.withOpen(bool(value));
            default -> throw new IllegalArgumentException("unknown key \"" + key + "\"");
        };
    }

    private static AccessConfig applyAuth(AccessConfig auth, String key, String value) {
        return switch (key) {
            case "database" -> auth.withDatabase(value, auth.databaseUser(), auth.databasePassword());
            case "database-user" -> auth.withDatabase(auth.databaseUrl(), value, auth.databasePassword());
            case "database-password" -> auth.withDatabase(auth.databaseUrl(), auth.databaseUser(), value);
            case "service" -> auth.withService(value);
            case "realm" -> auth.withRealm(value);
            case "token-lifetime" -> {
                Duration lifetime = duration(value);
                if (lifetime.isZero()) {
                    throw new IllegalArgumentException("token-lifetime must be longer than 0");
                }
                yield auth.withTokenLifetime(lifetime);
            }
            default -> throw new IllegalArgumentException("unknown key \"" + key + "\" in [auth]");
        };
    }

    /** Durations as 90s, 15m, 1h, 2d; 0 means off. */
    public static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0") || t.equals("off")) {
            return Duration.ZERO;
        }
        if (t.length() < 2) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": use e.g. 90s, 15m, 1h, 2d or 0");
        }
        long amount;
        try {
            amount = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": use e.g. 90s, 15m, 1h, 2d or 0");
        }
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("invalid duration \"" + text + "\": use e.g. 90s, 15m, 1h, 2d or 0");
        };
    }

    private static int positive(String key, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(key + " must be a whole number of at least 1, got \"" + value + "\"");
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got \"" + value + "\"");
        };
    }
}
