package dev.berth.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;

import java.io.IOException;
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
    /** The factory alone, not a mapper: an ObjectMapper cost a run under a policy 80 ms to set up cold. */
    private static final TomlFactory FACTORY = new TomlFactory();

    private Toml() {
    }

    public static Map<String, Map<String, Object>> tables(String text, String source) {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                table(parser, "", tables, source);
            } else {
                tables.put("", new LinkedHashMap<>());
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr();
            throw new BerthException("CONFIG_INVALID", source + line + ": " + e.getOriginalMessage().lines().findFirst().orElse("not TOML"));
        } catch (IOException e) {
            throw new BerthException("CONFIG_INVALID", source + ": " + e.getMessage());
        }
        return tables;
    }

    /**
     * Reads the table whose START_OBJECT was just read, and its sub-tables. A table that holds
     * only sub-tables (the {@code scope} of {@code [scope."x"]}) is no table of its own; an empty
     * one ({@code [auth]}) is.
     */
    private static void table(JsonParser parser, String path, Map<String, Map<String, Object>> tables, String source)
            throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        tables.put(path, values);
        boolean subTables = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                subTables = true;
                table(parser, keyPath, tables, source);
            } else {
                values.put(key, value(parser, token, keyPath, source));
            }
        }
        if (subTables && values.isEmpty()) {
            tables.remove(path);
        }
    }

    private static Object value(JsonParser parser, JsonToken token, String key, String source) throws IOException {
        switch (token) {
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return token == JsonToken.VALUE_TRUE;
            }
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return parser.getLongValue();
                }
            }
            case START_ARRAY -> {
                List<String> items = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    if (item != JsonToken.VALUE_STRING) {
                        throw new BerthException("CONFIG_INVALID", source + ": " + key + " may hold only \"strings\"");
                    }
                    items.add(parser.getText());
                }
                return List.copyOf(items);
            }
            default -> {
            }
        }
        throw new BerthException("CONFIG_INVALID", source + ": " + key + " is not a string, boolean, integer or list of strings");
    }
}
