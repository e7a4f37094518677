package dev.berth.cli.args;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one command accepts, declared in code, and the parser for it. Options and parameters hand
 * their values to the command through the handlers given here, so parsing needs no reflection:
 * berth starts in a fraction of the time an annotation-driven parser takes (docs/benchmarks.md).
 *
 * <p>Options follow GNU conventions: {@code --name VALUE}, {@code --name=VALUE}, {@code -n VALUE},
 * {@code -nVALUE}, clustered short flags ({@code -qa}), and {@code --} to end them. They may come
 * before, between and after parameters, except that a {@link #rest rest} parameter takes everything
 * after the parameters before it verbatim, options included ({@code berth exec IMG ls -l}).
 */
public final class Syntax {
    /** How many values a parameter takes. */
    enum Arity { ONE, OPTIONAL, ONE_OR_MORE, REST, REQUIRED_REST }

    /** An option: its names ({@code -q}, {@code --quiet}), the label of its value (null for a flag), its help. */
    record Option(List<String> names, String label, String description, boolean required, Consumer<String> handler) {
        boolean takesValue() {
            return label != null;
        }

        String longestName() {
            return names.getLast();
        }
    }

    record Parameter(String label, String description, Arity arity, Consumer<String> handler) {
    }

    private static final Option HELP = new Option(List.of("-h", "--help"), null, "Show this help and exit.", false, value -> {
    });

    private final List<String> description = new ArrayList<>();
    private final List<Option> options = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();

    /** Lines of help text; the first is the summary shown in the list of commands. */
    public Syntax describe(String... lines) {
        description.addAll(List.of(lines));
        return this;
    }

    /** An option without a value, such as {@code "-q, --quiet"}; {@code onSet} runs each time it is given. */
    public Syntax flag(String names, String help, Runnable onSet) {
        return add(new Option(parseNames(names), null, help, false, value -> onSet.run()));
    }

    /** An option with a value; {@code onValue} gets each value given (a repeated option calls it again). */
    public Syntax option(String names, String label, String help, Consumer<String> onValue) {
        return add(new Option(parseNames(names), label, help, false, onValue));
    }

    /** An option that must be given. */
    public Syntax requiredOption(String names, String label, String help, Consumer<String> onValue) {
        return add(new Option(parseNames(names), label, help, true, onValue));
    }

    /** A parameter that must be given. */
    public Syntax parameter(String label, String help, Consumer<String> onValue) {
        return add(new Parameter(label, help, Arity.ONE, onValue));
    }

    /** A parameter that may be left out. */
    public Syntax optionalParameter(String label, String help, Consumer<String> onValue) {
        return add(new Parameter(label, help, Arity.OPTIONAL, onValue));
    }

    /** One or more values; {@code onEach} gets them in order. */
    public Syntax parameters(String label, String help, Consumer<String> onEach) {
        return add(new Parameter(label, help, Arity.ONE_OR_MORE, onEach));
    }

    /**
     * Everything after the parameters declared before it, taken as they are: options there belong
     * to the program the command runs, not to berth. {@code required} asks for at least one value.
     */
    public Syntax rest(String label, String help, boolean required, Consumer<String> onEach) {
        return add(new Parameter(label, help, required ? Arity.REQUIRED_REST : Arity.REST, onEach));
    }

    /**
     * Hands every value on the command line to its handler. Returns false when help was asked for
     * ({@code -h}, {@code --help}), which the caller then prints instead of running.
     *
     * @throws UsageException naming what is wrong with the command line
     */
    public boolean parse(List<String> args) {
        List<String> positionals = new ArrayList<>();
        // By identity: each option is one object, and a record's generated hashCode would spin
        // method-handle classes at run time that the AOT cache does not keep (docs/benchmarks.md).
        Set<Option> given = Collections.newSetFromMap(new IdentityHashMap<>());
        int restStart = restStart();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                if (restStart >= 0 && positionals.size() >= Math.max(restStart, 1)) {
                    optionsEnded = true;
                }
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                Option option = find(name);
                if (option == HELP) {
                    return false;
                }
                String value = equals < 0 ? null : arg.substring(equals + 1);
                if (!option.takesValue() && value != null) {
                    throw new UsageException("option " + name + " takes no value");
                }
                if (option.takesValue() && value == null) {
                    value = valueAfter(args, i++, name);
                }
                option.handler().accept(value);
                given.add(option);
            } else {
                for (int j = 1; j < arg.length(); j++) {
                    Option option = find("-" + arg.charAt(j));
                    if (option == HELP) {
                        return false;
                    }
                    given.add(option);
                    if (!option.takesValue()) {
                        option.handler().accept(null);
                    } else if (j + 1 < arg.length()) {
                        option.handler().accept(arg.substring(j + 1));
                        break;
                    } else {
                        option.handler().accept(valueAfter(args, i++, "-" + arg.charAt(j)));
                    }
                }
            }
        }
        for (Option option : options) {
            if (option.required() && !given.contains(option)) {
                throw new UsageException("missing required option " + option.longestName() + "=" + option.label());
            }
        }
        assign(positionals);
        return true;
    }

    /**
     * How many positional values come before the rest parameter; -1 when there is none. Once
     * those are given (and at least one value, so that options can precede a rest that comes
     * first), every further argument is a value.
     */
    private int restStart() {
        for (int i = 0; i < parameters.size(); i++) {
            Arity arity = parameters.get(i).arity();
            if (arity == Arity.REST || arity == Arity.REQUIRED_REST) {
                return i;
            }
        }
        return -1;
    }

    private void assign(List<String> positionals) {
        int next = 0;
        for (Parameter parameter : parameters) {
            int remaining = positionals.size() - next;
            boolean required = parameter.arity() == Arity.ONE || parameter.arity() == Arity.ONE_OR_MORE
                    || parameter.arity() == Arity.REQUIRED_REST;
            if (remaining == 0) {
                if (required) {
                    throw new UsageException("missing required parameter " + parameter.label());
                }
                continue;
            }
            int count = parameter.arity() == Arity.ONE || parameter.arity() == Arity.OPTIONAL ? 1 : remaining;
            for (int i = 0; i < count; i++) {
                parameter.handler().accept(positionals.get(next++));
            }
        }
        if (next < positionals.size()) {
            throw new UsageException("unexpected argument '" + positionals.get(next) + "'");
        }
    }

    private Option find(String name) {
        if (HELP.names().contains(name)) {
            return HELP;
        }
        for (Option option : options) {
            if (option.names().contains(name)) {
                return option;
            }
        }
        List<String> known = options.stream().flatMap(option -> option.names().stream()).filter(word -> word.startsWith("--")).toList();
        throw new UsageException("unknown option " + name + NearestWord.hint(name, known));
    }

    private static String valueAfter(List<String> args, int index, String name) {
        if (index + 1 >= args.size()) {
            throw new UsageException("option " + name + " needs a value");
        }
        return args.get(index + 1);
    }

    private static List<String> parseNames(String names) {
        return List.of(names.split(",\\s*"));
    }

    private Syntax add(Option option) {
        options.add(option);
        return this;
    }

    private Syntax add(Parameter parameter) {
        parameters.add(parameter);
        return this;
    }

    List<String> description() {
        return description;
    }

    /** The first line of the description: what the command does, for a list of commands. */
    public String summary() {
        return description.isEmpty() ? "" : description.getFirst();
    }

    List<Option> options() {
        List<Option> all = new ArrayList<>(options);
        all.add(HELP);
        return all;
    }

    List<Parameter> parameters() {
        return parameters;
    }
}
