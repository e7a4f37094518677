package dev.berth.runtime.site;

import dev.berth.oci.BerthException;
import dev.berth.oci.Toml;
import dev.berth.runtime.sandbox.Bind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the site's configuration (docs/hpc.md has an example of every setting). Unknown
 * tables and settings are errors that name the file, so that a misspelt setting never goes
 * unnoticed by the admin who wrote it.
 */
public final class SiteConfigReader {
    /** Where the site file is; a test (or a site packaging berth elsewhere) names another with this property. */
    public static final String LOCATION_PROPERTY = "berth.site-config";
    private static final Path LOCATION = Path.of("/etc/berth/berth.toml");
    private static final long ROOT = 0;
    private static final long MAX_SIZE = 1 << 20;
    private static final String MODULES = "modules.";
    private static final String ENVIRONMENT = ".env";
    /** Module names go on command lines (--module a,b) and into table names, so no commas or dots. */
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SiteConfigReader() {
    }

    public static Path location() {
        return Path.of(System.getProperty(LOCATION_PROPERTY, LOCATION.toString()));
    }

    /** The site file of this machine; none when it is absent, or (said in a line to {@code warnings}) not root's alone. */
    public static SiteConfig load(Consumer<String> warnings) throws IOException {
        return load(location(), ROOT, warnings);
    }

    static SiteConfig load(Path file, long admin, Consumer<String> warnings) throws IOException {
        if (!Files.exists(file)) {
            return SiteConfig.none(file);
        }
        Optional<String> problem = SiteFileTrust.problem(file, admin);
        if (problem.isPresent()) {
            warnings.accept("ignoring the site configuration " + file + ": " + problem.get()
                    + ", and berth obeys only a file that nobody but root can change");
            return SiteConfig.none(file);
        }
        if (Files.size(file) > MAX_SIZE) {
            throw new BerthException("CONFIG_INVALID", file + " is larger than " + MAX_SIZE + " bytes");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    }

    static SiteConfig parse(String text, Path file) {
        String source = file.toString();
        List<Bind> defaultBinds = List.of();
        Optional<Path> shared = Optional.empty();
        Optional<Path> prepared = Optional.empty();
        List<String> allowed = List.of();
        Map<String, Map<String, Object>> moduleSettings = new LinkedHashMap<>();
        Map<String, Map<String, Object>> moduleEnvironments = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> table : Toml.tables(text, source).entrySet()) {
            Settings settings = new Settings(source, table.getKey(), table.getValue());
            switch (table.getKey()) {
                case "", "modules" -> settings.known();
                case "binds" -> {
                    settings.known("default");
                    defaultBinds = settings.binds("default");
                }
                case "cache" -> {
                    settings.known("shared", "prepared");
                    shared = settings.absolutePath("shared");
                    prepared = settings.absolutePath("prepared");
                }
                case "registries" -> {
                    settings.known("allowed");
                    allowed = settings.hosts("allowed");
                }
                default -> {
                    String name = moduleName(source, table.getKey());
                    boolean environment = table.getKey().equals(MODULES + name + ENVIRONMENT);
                    (environment ? moduleEnvironments : moduleSettings).put(name, table.getValue());
                }
            }
        }
        Map<String, SiteModule> modules = new LinkedHashMap<>();
        for (String name : union(moduleSettings.keySet(), moduleEnvironments.keySet())) {
            modules.put(name, module(source, name, moduleSettings.getOrDefault(name, Map.of()),
                    moduleEnvironments.getOrDefault(name, Map.of())));
        }
        return new SiteConfig(file, true, defaultBinds, shared, prepared, allowed, modules);
    }

    /** NAME of a table {@code modules.NAME} or {@code modules.NAME.env}; any other table is unknown. */
    private static String moduleName(String source, String table) {
        String rest = table.startsWith(MODULES) ? table.substring(MODULES.length()) : "";
        String name = rest.endsWith(ENVIRONMENT) ? rest.substring(0, rest.length() - ENVIRONMENT.length()) : rest;
        if (!MODULE_NAME.matcher(name).matches()) {
            throw new BerthException("CONFIG_INVALID", source + ": unknown table [" + table + "] (the site configuration has "
                    + "[binds], [cache], [registries] and [modules.NAME], a NAME of letters, digits, '-' and '_')");
        }
        return name;
    }

    private static SiteModule module(String source, String name, Map<String, Object> values, Map<String, Object> environment) {
        Settings settings = new Settings(source, MODULES + name, values);
        settings.known("description", "binds", "env", "default");
        if (values.containsKey("env")) {
            throw settings.invalid("env", "a table of NAME = \"value\" (env = { NAME = \"value\" })");
        }
        Settings variables = new Settings(source, MODULES + name + ENVIRONMENT, environment);
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : environment.keySet()) {
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                throw variables.invalid(variable, "named by letters, digits and '_' (not starting with a digit)");
            }
            env.put(variable, variables.string(variable).orElseThrow());
        }
        return new SiteModule(name, settings.string("description").orElse(""), settings.binds("binds"), env,
                settings.bool("default"));
    }

    private static List<String> union(Set<String> first, Set<String> second) {
        return Stream.concat(first.stream(), second.stream()).distinct().toList();
    }

    /** One table's settings, read by type; each error names the file, the table and the key. */
    private record Settings(String source, String table, Map<String, Object> values) {
        void known(String... keys) {
            for (String key : values.keySet()) {
                if (!List.of(keys).contains(key)) {
                    throw new BerthException("CONFIG_INVALID", source + ": unknown setting \"" + key + "\" " + where()
                            + (keys.length == 0 ? "" : " (known there: " + String.join(", ", keys) + ")"));
                }
            }
        }

        Optional<String> string(String key) {
            Object value = values.get(key);
            if (value != null && !(value instanceof String)) {
                throw invalid(key, "a \"string\"");
            }
            return Optional.ofNullable((String) value);
        }

        boolean bool(String key) {
            Object value = values.getOrDefault(key, false);
            if (!(value instanceof Boolean flag)) {
                throw invalid(key, "true or false");
            }
            return flag;
        }

        List<String> strings(String key, String expected) {
            Object value = values.getOrDefault(key, List.of());
            if (!(value instanceof List<?> list)) {
                throw invalid(key, expected);
            }
            return list.stream().map(String.class::cast).toList();
        }

        List<Bind> binds(String key) {
            return strings(key, "a list of \"SRC[:DST[:ro]]\"").stream().map(text -> {
                Bind bind;
                try {
                    bind = Bind.parse(text, "bind");
                } catch (BerthException e) {
                    throw new BerthException(e.code(), source + ": " + key + " " + where() + ": " + e.getMessage());
                }
                if (!bind.source().isAbsolute()) {
                    throw invalid(key, "a list of binds whose sources are absolute paths, not \"" + text + "\"");
                }
                return bind;
            }).toList();
        }

        Optional<Path> absolutePath(String key) {
            Optional<Path> path = string(key).map(Path::of);
            if (path.isPresent() && !path.get().isAbsolute()) {
                throw invalid(key, "an absolute path");
            }
            return path;
        }

        List<String> hosts(String key) {
            List<String> hosts = strings(key, "a list of \"host[:port]\"");
            for (String host : hosts) {
                if (host.isEmpty() || host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
                    throw invalid(key, "a list of \"host[:port]\", not \"" + host + "\"");
                }
            }
            return hosts;
        }

        BerthException invalid(String key, String expected) {
            return new BerthException("CONFIG_INVALID", source + ": " + key + " " + where() + " must be " + expected);
        }

        private String where() {
            return table.isEmpty() ? "at the top" : "in [" + table + "]";
        }
    }
}
