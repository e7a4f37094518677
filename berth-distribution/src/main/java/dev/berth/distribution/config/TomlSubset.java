package dev.berth.distribution.config;

import dev.berth.distribution.RegistryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of TOML berth's config file needs: {@code [table."quoted.key"]} headers, and
 * {@code key = value} lines whose value is a string, boolean, integer or one-line array of
 * strings; {@code #} comments. Anything else is an error naming the line, never a guess.
 */
public final class TomlSubset {
    private final String source;
    private final Map<String, Map<String, Object>> tables = new LinkedHashMap<>();

    private TomlSubset(String source) {
        this.source = source;
    }

    /** Parses the text into tables keyed by their dotted path ("" is the top level), segments unquoted. */
    public static Map<String, Map<String, Object>> parse(String text, String source) {
        TomlSubset toml = new TomlSubset(source);
        Map<String, Object> current = toml.tables.computeIfAbsent("", k -> new LinkedHashMap<>());
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Cursor line = new Cursor(lines[i], toml, i + 1);
            line.skipSpaces();
            if (line.atEndOrComment()) {
                continue;
            }
            if (line.consume('[')) {
                String path = String.join(".", line.keyPath(']'));
                line.expect(']');
                line.expectEnd();
                current = toml.tables.computeIfAbsent(path, k -> new LinkedHashMap<>());
                continue;
            }
            List<String> key = line.keyPath('=');
            if (key.size() != 1) {
                throw line.error("dotted keys are not supported here; use a [table] header");
            }
            line.expect('=');
            line.skipSpaces();
            Object value = line.value();
            line.expectEnd();
            if (current.putIfAbsent(key.getFirst(), value) != null) {
                throw line.error("\"" + key.getFirst() + "\" is set twice");
            }
        }
        return toml.tables;
    }

    private static final class Cursor {
        private final String text;
        private final TomlSubset toml;
        private final int number;
        private int position;

        Cursor(String text, TomlSubset toml, int number) {
            this.text = text;
            this.toml = toml;
            this.number = number;
        }

        RegistryException error(String problem) {
            return new RegistryException("CONFIG_INVALID", toml.source + " line " + number + ": " + problem);
        }

        void skipSpaces() {
            while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
                position++;
            }
        }

        boolean atEndOrComment() {
            return position >= text.length() || text.charAt(position) == '#';
        }

        boolean consume(char c) {
            skipSpaces();
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!consume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        void expectEnd() {
            skipSpaces();
            if (!atEndOrComment()) {
                throw error("unexpected text \"" + text.substring(position) + "\"");
            }
        }

        List<String> keyPath(char terminator) {
            List<String> segments = new ArrayList<>();
            do {
                skipSpaces();
                if (position < text.length() && text.charAt(position) == '"') {
                    segments.add(string());
                } else {
                    int start = position;
                    while (position < text.length() && isBareKeyChar(text.charAt(position))) {
                        position++;
                    }
                    if (start == position) {
                        throw error("expected a key before '" + terminator + "'");
                    }
                    segments.add(text.substring(start, position));
                }
            } while (consume('.'));
            return segments;
        }

        private static boolean isBareKeyChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-';
        }

        Object value() {
            if (position >= text.length()) {
                throw error("a value is missing");
            }
            char first = text.charAt(position);
            if (first == '"') {
                return string();
            }
            if (first == '[') {
                position++;
                List<String> items = new ArrayList<>();
                while (!consume(']')) {
                    skipSpaces();
                    if (position >= text.length() || text.charAt(position) != '"') {
                        throw error("arrays may hold only \"strings\" and must end on the same line");
                    }
                    items.add(string());
                    if (!consume(',')) {
                        expect(']');
                        break;
                    }
                }
                return List.copyOf(items);
            }
            int start = position;
            while (position < text.length() && !Character.isWhitespace(text.charAt(position)) && text.charAt(position) != '#') {
                position++;
            }
            String word = text.substring(start, position);
            if (word.equals("true") || word.equals("false")) {
                return Boolean.parseBoolean(word);
            }
            try {
                return Long.parseLong(word.replace("_", ""));
            } catch (NumberFormatException e) {
                throw error("\"" + word + "\" is not a string, boolean or integer (strings need \"quotes\")");
            }
        }

        String string() {
            position++; // the opening quote
            StringBuilder value = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && position < text.length()) {
                    char escaped = text.charAt(position++);
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '"', '\\' -> escaped;
                        default -> throw error("unsupported escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
            throw error("a string is not closed");
        }
    }
}
