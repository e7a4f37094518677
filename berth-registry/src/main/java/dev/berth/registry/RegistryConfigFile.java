package dev.berth.registry;

import dev.berth.oci.BerthException;
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
 * Reads the registry's config file: the subset of TOML it needs, one {@code key = value} per line,
 * {@code #} comments, strings optionally in double quotes, and the {@code [auth]} table, whose
 * presence alone turns authentication on, with its {@code [auth.ldap]} and {@code [auth.oidc]} sub-tables. Keys are documented in docs/registry.md and docs/access.md.
 */
public final class RegistryConfigFile {
    private static final Set<String> SUB_TABLES = Set.of("auth.ldap", "auth.oidc");

    private RegistryConfigFile() {
    }

    public static RegistryConfig read(Path file, RegistryConfig base) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new BerthException("CONFIG_INVALID", "registry config file " + file + " does not exist");
        }
        RegistryConfig config = base;
        String table = "";
        Map<String, Map<String, String>> subTables = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                table = line.substring(1, line.endsWith("]") ? line.length() - 1 : line.length()).strip();
                if (!table.equals("auth") && !SUB_TABLES.contains(table)) {
                    throw invalid(file, i, "unknown table " + line + ": the tables are [auth], [auth.ldap] and [auth.oidc]");
                }
                config = config.withAuth(config.auth() == null ? AccessConfig.defaults() : config.auth());
                subTables.putIfAbsent(table, new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw invalid(file, i, "expected key = value");
            }
            String key = line.substring(0, equals).strip();
            String value = unquote(line.substring(equals + 1).strip());
            try {
                if (SUB_TABLES.contains(table)) {
                    subTables.get(table).put(key, value);
                } else {
                    config = table.equals("auth") ? config.withAuth(applyAuth(config.auth(), key, value))
                            : apply(config, key, value, file.toAbsolutePath().getParent());
                }
            } catch (IllegalArgumentException e) {
                throw invalid(file, i, e.getMessage());
            }
        }
        try {
            if (subTables.containsKey("auth.ldap")) {
                config = config.withAuth(config.auth().withLdap(LdapConfig.from(subTables.get("auth.ldap"))));
            }
            if (subTables.containsKey("auth.oidc")) {
                config = config.withAuth(config.auth().withOidc(OidcConfig.from(subTables.get("auth.oidc"))));
            }
        } catch (IllegalArgumentException e) {
            throw new BerthException("CONFIG_INVALID", "registry config file " + file + ": " + e.getMessage());
        }
        return config;
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

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static BerthException invalid(Path file, int lineIndex, String message) {
        return new BerthException("CONFIG_INVALID", file + " line " + (lineIndex + 1) + ": " + message);
    }
}
