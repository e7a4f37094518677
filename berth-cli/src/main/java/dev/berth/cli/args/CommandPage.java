package dev.berth.cli.args;

import java.util.List;

/**
 * One command or group of berth as its parser declares it, for the texts made from that same
 * model: shell completion and the manual page.
 *
 * @param path        how it is invoked, e.g. {@code berth system df}
 * @param subcommands the words of a group's members; empty for a command that runs
 * @param syntax      its options and parameters, declared as for parsing
 */
public record CommandPage(String path, List<String> subcommands, Syntax syntax) {
    /** The words after {@code berth}: {@code system df}. */
    String words() {
        int space = path.indexOf(' ');
        return space < 0 ? "" : path.substring(space + 1);
    }

    /** Every option name, short and long. */
    List<String> optionNames() {
        return syntax.options().stream().flatMap(option -> option.names().stream()).toList();
    }

    /** The option names that take a value, whose next word is not completed as an option. */
    List<String> valueOptions() {
        return syntax.options().stream().filter(Syntax.Option::takesValue).flatMap(option -> option.names().stream()).toList();
    }
}
