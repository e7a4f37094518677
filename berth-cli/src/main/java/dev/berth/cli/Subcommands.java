package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;

/**
 * Adds berth's subcommands to the command line. picocli's model of a command is built by
 * reflection and costs start-up time that every berth command pays, so a command line that
 * names a subcommand gets only that one; help, a typo or no subcommand at all get every one.
 */
final class Subcommands {
    /** Options of the top command that take a value, so their value is not read as a subcommand. */
    private static final String DATA_DIR = "--data-dir";

    private Subcommands() {
    }

    static void register(CommandLine berth, String[] args) {
        String requested = requestedName(args);
        Class<?> match = requested == null ? null : BerthCommand.SUBCOMMANDS.stream()
                .filter(command -> answersTo(command, requested)).findFirst().orElse(null);
        if (match != null) {
            berth.addSubcommand(match);
            return;
        }
        BerthCommand.SUBCOMMANDS.forEach(berth::addSubcommand);
    }

    /** The first argument that is neither an option of the top command nor its value. */
    private static String requestedName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(DATA_DIR)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    private static boolean answersTo(Class<?> command, String name) {
        Command annotation = command.getAnnotation(Command.class);
        return annotation.name().equals(name) || Arrays.asList(annotation.aliases()).contains(name);
    }
}
