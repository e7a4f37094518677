package dev.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.Json;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The part of Go's text/template that Docker users write in {@code --format}: fields
 * ({@code {{.Repository}}}, {@code {{.Config.Env}}}), the functions {@code json}, {@code index},
 * {@code join}, {@code upper}, {@code lower} and {@code len}, pipes, trim markers, {@code \t} and
 * {@code \n} escapes, and Docker's {@code table} prefix (a header row and aligned columns). Values
 * print as Go prints them: lists as {@code [a b]}, objects as {@code map[k:v]}, a missing field as
 * {@code <no value>}. Anything else ({@code range}, {@code if}) is refused by name.
 */
public final class GoTemplate {
    private static final String TABLE = "table";

    private final List<Part> parts;
    private final boolean table;

    private sealed interface Part permits Text, Action {
    }

    private record Text(String text) implements Part {
    }

    /** One {{...}}: commands joined by pipes, each a function with arguments or a single operand. */
    private record Action(String source, List<List<String>> commands) implements Part {
    }

    private GoTemplate(List<Part> parts, boolean table) {
        this.parts = parts;
        this.table = table;
    }

    public static GoTemplate parse(String format) {
        String text = format.replace("\\t", "\t").replace("\\n", "\n");
        boolean table = text.startsWith(TABLE + " ") || text.equals(TABLE);
        if (table) {
            text = text.substring(TABLE.length()).stripLeading();
        }
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Text(text.substring(at)));
                break;
            }
            int close = text.indexOf("}}", open);
            if (close < 0) {
                throw new UsageException("--format: unclosed action in \"" + format + "\"");
            }
            String before = text.substring(at, open);
            String inner = text.substring(open + 2, close);
            if (inner.startsWith("-")) {
                before = before.stripTrailing();
                inner = inner.substring(1);
            }
            at = close + 2;
            if (inner.endsWith("-")) {
                inner = inner.substring(0, inner.length() - 1);
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
            }
            if (!before.isEmpty()) {
                parts.add(new Text(before));
            }
            parts.add(action(inner.strip(), format));
        }
        return new GoTemplate(parts, table);
    }

    private static Action action(String source, String format) {
        List<List<String>> commands = new ArrayList<>();
        for (String command : splitPipes(source)) {
            List<String> words = words(command.strip(), format);
            if (words.isEmpty()) {
                throw new UsageException("--format: empty action in \"" + format + "\"");
            }
            String first = words.getFirst();
            if (!first.startsWith(".") && !first.startsWith("\"") && !FUNCTIONS.containsKey(first)) {
                throw new UsageException("--format: berth does not know \"" + first + "\" (it knows .Field, "
                        + String.join(", ", FUNCTIONS.keySet()) + " and pipes)");
            }
            commands.add(words);
        }
        return new Action(source, commands);
    }

    /** Whether the format asked for Docker's table layout. */
    public boolean isTable() {
        return table;
    }

    /** The text for one value. */
    public String render(JsonNode data) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text text -> out.append(text.text());
                case Action action -> out.append(print(evaluate(action, data)));
            }
        }
        return out.toString();
    }

    /**
     * Every row through the template, one per line; as a table, first a header (each field's
     * name from {@code header}, else its upper-cased last segment) and then aligned columns.
     */
    public void print(List<? extends JsonNode> rows, Function<String, String> header, PrintWriter out) {
        if (!table) {
            rows.forEach(row -> out.println(render(row)));
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(headerLine(header).split("\t", -1));
        rows.forEach(row -> lines.add(render(row).split("\t", -1)));
        int columns = lines.stream().mapToInt(cells -> cells.length).max().orElse(1);
        Table aligned = new Table(padded(lines.getFirst(), columns));
        lines.subList(1, lines.size()).forEach(cells -> aligned.add(padded(cells, columns)));
        aligned.print(out);
    }

    private String headerLine(Function<String, String> header) {
        StringBuilder line = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text text -> line.append(text.text());
                case Action action -> {
                    String field = action.commands().getLast().getLast();
                    String name = field.substring(field.lastIndexOf('.') + 1);
                    line.append(header.apply(name) != null ? header.apply(name) : name.toUpperCase(Locale.ROOT));
                }
            }
        }
        return line.toString();
    }

    private static String[] padded(String[] cells, int columns) {
        String[] padded = new String[columns];
        for (int i = 0; i < columns; i++) {
            padded[i] = i < cells.length ? cells[i] : "";
        }
        return padded;
    }

    private static JsonNode evaluate(Action action, JsonNode data) {
        JsonNode piped = null;
        for (List<String> command : action.commands()) {
            List<JsonNode> arguments = new ArrayList<>();
            String first = command.getFirst();
            boolean call = FUNCTIONS.containsKey(first);
            for (String word : call ? command.subList(1, command.size()) : command) {
                arguments.add(operand(word, data));
            }
            if (piped != null) {
                arguments.add(piped);
            }
            if (call) {
                piped = FUNCTIONS.get(first).apply(arguments, action.source());
            } else if (arguments.size() == 1) {
                piped = arguments.getFirst();
            } else {
                throw new UsageException("--format: {{" + action.source() + "}} gives " + first + " arguments, but it is not a function");
            }
        }
        return piped;
    }

    private static JsonNode operand(String word, JsonNode data) {
        if (word.startsWith("\"")) {
            return JsonNodeFactory.instance.textNode(word.substring(1, word.length() - 1));
        }
        if (word.equals(".")) {
            return data;
        }
        JsonNode node = data;
        for (String name : word.substring(1).split("\\.")) {
            node = field(node, name);
        }
        return node;
    }

    /** The field of that name; failing an exact match, one whose name differs only in case (Docker's and berth's JSON spell some differently). */
    private static JsonNode field(JsonNode node, String name) {
        if (node.has(name)) {
            return node.get(name);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return MissingNode.getInstance();
    }

    /** As Go's fmt prints a value decoded from JSON. */
    static String print(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "<no value>";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(print(item)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            value.properties().forEach(entry -> sorted.put(entry.getKey(), print(entry.getValue())));
            List<String> items = new ArrayList<>();
            sorted.forEach((key, item) -> items.add(key + ":" + item));
            return "map[" + String.join(" ", items) + "]";
        }
        return value.asText();
    }

    @FunctionalInterface
    private interface TemplateFunction {
        JsonNode apply(List<JsonNode> arguments, String source);
    }

    private static final Map<String, TemplateFunction> FUNCTIONS = new TreeMap<>(Map.of(
            "json", (arguments, source) -> JsonNodeFactory.instance.textNode(new String(Json.write(one(arguments, source)), StandardCharsets.UTF_8)),
            "upper", (arguments, source) -> JsonNodeFactory.instance.textNode(print(one(arguments, source)).toUpperCase(Locale.ROOT)),
            "lower", (arguments, source) -> JsonNodeFactory.instance.textNode(print(one(arguments, source)).toLowerCase(Locale.ROOT)),
            "len", (arguments, source) -> JsonNodeFactory.instance.numberNode(one(arguments, source).size()),
            "join", GoTemplate::join,
            "index", GoTemplate::index));

    private static JsonNode one(List<JsonNode> arguments, String source) {
        if (arguments.size() != 1) {
            throw new UsageException("--format: {{" + source + "}} needs exactly one argument");
        }
        return arguments.getFirst();
    }

    private static JsonNode join(List<JsonNode> arguments, String source) {
        if (arguments.size() != 2) {
            throw new UsageException("--format: {{" + source + "}}: join takes a list and a separator");
        }
        List<String> items = new ArrayList<>();
        arguments.get(0).forEach(item -> items.add(print(item)));
        return JsonNodeFactory.instance.textNode(String.join(arguments.get(1).asText(), items));
    }

    private static JsonNode index(List<JsonNode> arguments, String source) {
        if (arguments.size() < 2) {
            throw new UsageException("--format: {{" + source + "}}: index takes a value and at least one key");
        }
        JsonNode node = arguments.getFirst();
        for (JsonNode key : arguments.subList(1, arguments.size())) {
            node = node.isArray() && key.canConvertToInt() ? node.path(key.asInt()) : node.path(key.asText());
        }
        return node;
    }

    private static List<String> splitPipes(String source) {
        List<String> commands = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '|' && !quoted) {
                commands.add(source.substring(start, i));
                start = i + 1;
            }
        }
        commands.add(source.substring(start));
        return commands;
    }

    private static List<String> words(String command, String format) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = command.indexOf('"', i + 1);
                if (end < 0) {
                    throw new UsageException("--format: unclosed string in \"" + format + "\"");
                }
                words.add(command.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < command.length() && !Character.isWhitespace(command.charAt(end))) {
                    end++;
                }
                words.add(command.substring(i, end));
                i = end;
            }
        }
        return words;
    }
}
