package dev.berth.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * berth's one TOML reader (jackson-dataformat-toml), for its config file, the run policy and the
 * registry's config. A document is read as tables keyed by their dotted path, with quoted
 * segments unquoted ({@code [scope."a.example/lab"]} is table {@code scope.a.example/lab}, the
 * top level is {@code ""}); values are strings, booleans, integers or arrays of strings. Other
 * values, and broken TOML, are errors that name the file and line; the callers refuse unknown
 * tables and keys.
 */
public final class Toml {
    private static final TomlMapper MAPPER = new TomlMapper();

    private Toml() {
    }

    public static Map<String, Map<String, Object>> tables(String text, String source) {
        JsonNode document;
        try {
            document = MAPPER.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr();
            throw new BerthException("CONFIG_INVALID", source + line + ": " + e.getOriginalMessage().lines().findFirst().orElse("not TOML"));
        }
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        collect(document == null ? MAPPER.createObjectNode() : document, "", tables, source);
        return tables;
    }

    /**
     * Adds the table at {@code path} and its sub-tables. A table that holds only sub-tables (the
     * {@code scope} of {@code [scope."x"]}) is no table of its own; an empty one ({@code [auth]}) is.
     */
    private static void collect(JsonNode table, String path, Map<String, Map<String, Object>> tables, String source) {
        boolean onlySubTables = !table.isEmpty() && table.valueStream().allMatch(JsonNode::isObject);
        Map<String, Object> values = onlySubTables ? new LinkedHashMap<>() : tables.computeIfAbsent(path, p -> new LinkedHashMap<>());
        for (Map.Entry<String, JsonNode> entry : table.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                collect(value, path.isEmpty() ? key : path + "." + key, tables, source);
            } else {
                values.put(key, value(value, path.isEmpty() ? key : path + "." + key, source));
            }
        }
    }

    private static Object value(JsonNode value, String key, String source) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw new BerthException("CONFIG_INVALID", source + ": " + key + " may hold only \"strings\"");
                }
                items.add(item.textValue());
            }
            return List.copyOf(items);
        }
        throw new BerthException("CONFIG_INVALID", source + ": " + key + " is not a string, boolean, integer or list of strings");
    }
}
