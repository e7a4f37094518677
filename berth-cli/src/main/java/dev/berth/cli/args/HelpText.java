package dev.berth.cli.args;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The text {@code --help} prints: a usage line, the description, then parameters, commands and options in two columns. */
public final class HelpText {
    /** A command in a group's list: its names ({@code images, ls}) and its summary. */
    public record CommandRow(String names, String summary) {
    }

    private static final int WIDTH = 80;
    private static final int MAX_LEFT_COLUMN = 30;

    private HelpText() {
    }

    /** Help for a command that runs: {@code command} is how it is invoked, e.g. {@code berth pull}. */
    public static String forCommand(String command, Syntax syntax) {
        List<String[]> parameters = syntax.parameters().stream()
                .map(parameter -> new String[] {parameter.label(), parameter.description()}).toList();
        return page("Usage: " + usage(command, syntax), syntax, parameters.isEmpty() ? "" : "Parameters:\n" + columns(parameters), "");
    }

    /** {@code berth pull [OPTIONS] REF}: how a command is written, its parameters by arity. */
    static String usage(String command, Syntax syntax) {
        StringBuilder usage = new StringBuilder(command).append(" [OPTIONS]");
        for (Syntax.Parameter parameter : syntax.parameters()) {
            usage.append(' ').append(switch (parameter.arity()) {
                case ONE -> parameter.label();
                case OPTIONAL -> "[" + parameter.label() + "]";
                case ONE_OR_MORE, REQUIRED_REST -> parameter.label() + "...";
                case REST -> "[" + parameter.label() + "...]";
            });
        }
        return usage.toString();
    }

    /** Help for a group of commands such as {@code berth} itself or {@code berth registry}. */
    public static String forGroup(String group, Syntax syntax, List<CommandRow> commands) {
        String list = "Commands:\n" + columns(commands.stream().map(row -> new String[] {row.names(), row.summary()}).toList());
        return page("Usage: " + group + " [OPTIONS] COMMAND [ARGS...]", syntax, list,
                "\nRun '" + group + " COMMAND --help' for more on a command.\n");
    }

    private static String page(String usage, Syntax syntax, String middle, String footer) {
        StringBuilder text = new StringBuilder(usage).append("\n\n");
        for (String line : syntax.description()) {
            // an indented line is laid out by hand (a table in the text): keep it as it is
            List<String> lines = line.startsWith(" ") ? List.of(line) : wrap(line, WIDTH);
            lines.forEach(part -> text.append(part).append('\n'));
        }
        if (!middle.isEmpty()) {
            text.append('\n').append(middle);
        }
        List<String[]> options = syntax.options().stream().map(HelpText::optionColumns).toList();
        text.append("\nOptions:\n").append(columns(options)).append(footer);
        return text.toString();
    }

    private static String[] optionColumns(Syntax.Option option) {
        List<String> names = option.names();
        String shortName = names.getFirst().length() == 2 ? names.getFirst() + ", " : "    ";
        String longNames = names.stream().filter(name -> name.length() > 2).collect(Collectors.joining(", "));
        String left = shortName + longNames + (option.takesValue() ? "=" + option.label() : "");
        return new String[] {left, option.description()};
    }

    private static String columns(List<String[]> rows) {
        int left = Math.min(MAX_LEFT_COLUMN, rows.stream().mapToInt(row -> row[0].length()).max().orElse(0) + 2 + 2);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            String name = "  " + row[0];
            List<String> lines = wrap(row[1], WIDTH - left);
            if (name.length() + 2 > left) {
                text.append(name).append('\n');
            } else {
                text.append(name).append(" ".repeat(left - name.length())).append(lines.removeFirst()).append('\n');
            }
            lines.forEach(line -> text.append(" ".repeat(left)).append(line).append('\n'));
        }
        return text.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
