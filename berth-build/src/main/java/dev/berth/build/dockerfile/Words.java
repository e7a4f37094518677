package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's word rules for the instructions the builder expands (FROM, COPY, ADD, ENV, ARG,
 * LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL): {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-word}}, {@code ${NAME-word}}, {@code ${NAME:+word}}, {@code ${NAME+word}}
 * and {@code ${NAME:?message}}; single quotes keep everything literal, double quotes keep
 * spaces; the escape character makes the next character literal (inside double quotes only
 * before {@code $}, {@code "} and itself). Quotes are removed from the result.
 */
public final class Words {
    private final char escape;
    private final Function<String, String> variables;

    /** {@code variables}: a name's value, or null when it is not set. */
    public Words(char escape, Function<String, String> variables) {
        this.escape = escape;
        this.variables = variables;
    }

    public static Words of(char escape, Map<String, String> variables) {
        return new Words(escape, variables::get);
    }

    /** The text as one word: expanded, quotes removed, spaces kept. */
    public String expand(String text) {
        return new Scanner(text).scan(false).getFirst();
    }

    /** The text split into words at unquoted white space, each expanded. */
    public List<String> split(String text) {
        return new Scanner(text).scan(true);
    }

    private final class Scanner {
        private final String text;
        private int at;

        Scanner(String text) {
            this.text = text;
        }

        List<String> scan(boolean splitting) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (splitting && Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                    at++;
                    continue;
                }
                inWord = true;
                if (c == '\'') {
                    int end = text.indexOf('\'', at + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unmatched ' in " + text);
                    }
                    word.append(text, at + 1, end);
                    at = end + 1;
                } else if (c == '"') {
                    at++;
                    doubleQuoted(word);
                } else if (c == escape && at + 1 < text.length()) {
                    word.append(text.charAt(at + 1));
                    at += 2;
                } else if (c == '$') {
                    word.append(variable());
                } else {
                    word.append(c);
                    at++;
                }
            }
            if (inWord || !splitting) {
                words.add(word.toString());
            }
            return words;
        }

        private void doubleQuoted(StringBuilder word) {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '"') {
                    at++;
                    return;
                }
                if (c == escape && at + 1 < text.length() && escapableInDoubleQuotes(text.charAt(at + 1))) {
                    word.append(text.charAt(at + 1));
                    at += 2;
                } else if (c == '$') {
                    word.append(variable());
                } else {
                    word.append(c);
                    at++;
                }
            }
            throw new IllegalArgumentException("unmatched \" in " + text);
        }

        /** At a {@code $}: the expansion, or the {@code $} itself when no name follows. */
        private String variable() {
            at++;
            if (at < text.length() && text.charAt(at) == '{') {
                int close = matchingBrace(at);
                String inside = text.substring(at + 1, close);
                at = close + 1;
                return braced(inside);
            }
            int start = at;
            while (at < text.length() && isNameCharacter(text.charAt(at), at == start)) {
                at++;
            }
            if (start == at) {
                return "$";
            }
            String value = variables.apply(text.substring(start, at));
            return value == null ? "" : value;
        }

        private int matchingBrace(int open) {
            int depth = 0;
            for (int i = open; i < text.length(); i++) {
                if (text.charAt(i) == '{') {
                    depth++;
                } else if (text.charAt(i) == '}' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("missing } in " + text);
        }

        private String braced(String inside) {
            int end = 0;
            while (end < inside.length() && isNameCharacter(inside.charAt(end), end == 0)) {
                end++;
            }
            String name = inside.substring(0, end);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("bad substitution ${" + inside + "}");
            }
            String value = variables.apply(name);
            if (end == inside.length()) {
                return value == null ? "" : value;
            }
            String operator = inside.substring(end, Math.min(inside.length(), end + 2));
            boolean colon = operator.startsWith(":");
            char kind = colon ? (operator.length() > 1 ? operator.charAt(1) : ' ') : operator.charAt(0);
            String word = new Words(escape, variables).expand(inside.substring(end + (colon ? 2 : 1)));
            boolean unset = value == null || colon && value.isEmpty();
            return switch (kind) {
                case '-' -> unset ? word : value;
                case '+' -> unset ? "" : word;
                case '?' -> {
                    if (unset) {
                        throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not set" : word));
                    }
                    yield value;
                }
                default -> throw new IllegalArgumentException("bad substitution ${" + inside + "}");
            };
        }
    }

    private boolean escapableInDoubleQuotes(char c) {
        return c == '$' || c == '"' || c == escape;
    }

    private static boolean isNameCharacter(char c, boolean first) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9';
    }
}
