package dev.berth.distribution.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"}.
 */
public record Challenge(String scheme, Map<String, String> parameters) {

    public String parameter(String name) {
        return parameters.get(name);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /** Parses every challenge in the header; unknown syntax ends parsing rather than failing it. */
    public static List<Challenge> parseAll(String header) {
        List<Challenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Parser parser = new Parser(header);
        while (true) {
            parser.skip(", \t");
            String scheme = parser.token();
            if (scheme.isEmpty()) {
                return challenges;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            while (true) {
                int mark = parser.position;
                parser.skip(" \t,");
                String name = parser.token();
                parser.skip(" \t");
                if (name.isEmpty() || !parser.consume('=')) {
                    // Not "name=value": the next challenge's scheme begins here.
                    parser.position = mark;
                    break;
                }
                parser.skip(" \t");
                parameters.put(name.toLowerCase(Locale.ROOT), parser.value());
            }
            challenges.add(new Challenge(scheme.toLowerCase(Locale.ROOT), parameters));
        }
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        void skip(String characters) {
            while (position < text.length() && characters.indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        boolean consume(char c) {
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        String token() {
            int start = position;
            while (position < text.length() && " \t,=\"".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            return text.substring(start, position);
        }

        String value() {
            if (!consume('"')) {
                return token();
            }
            StringBuilder value = new StringBuilder();
            while (position < text.length() && text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            consume('"');
            return value.toString();
        }
    }
}
