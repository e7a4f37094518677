package dev.berth.cli;

import dev.berth.cli.args.HelpText;
import dev.berth.cli.args.NearestWord;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.commands.VersionCommand;

import java.util.ArrayList;
import java.util.List;

/** Walks a command line down {@link BerthCommand}'s tree to the command it names, then parses the rest for it. */
final class Dispatch {
    private static final String HELP = "help";

    private final Invocation invocation;
    private String commandPath = BerthCommand.BERTH.name();

    Dispatch(Invocation invocation) {
        this.invocation = invocation;
    }

    /** How the command reached so far is invoked, e.g. {@code berth registry gc}, for hints after a usage error. */
    String commandPath() {
        return commandPath;
    }

    int run(List<String> args) throws Exception {
        return runGroup(BerthCommand.BERTH, args);
    }

    private int runGroup(BerthCommand.Group group, List<String> args) throws Exception {
        boolean[] versionAsked = {false};
        List<String> words = new ArrayList<>();
        Syntax syntax = new Syntax().describe(group.description().toArray(String[]::new));
        invocation.declareGlobalOptions(syntax);
        if (group == BerthCommand.BERTH) {
            syntax.flag("-V, --version", "Print berth's version and exit.", () -> versionAsked[0] = true);
        }
        syntax.rest("COMMAND", "The command to run and its arguments.", false, words::add);
        if (!syntax.parse(args) || (words.isEmpty() && !versionAsked[0])) {
            invocation.out().print(HelpText.forGroup(commandPath, syntax, rows(group)));
            return 0;
        }
        if (versionAsked[0]) {
            VersionCommand.print(invocation.out());
            return 0;
        }
        String word = words.getFirst();
        if (group == BerthCommand.BERTH && word.equals(HELP)) {
            // "berth help pull" is "berth pull --help", as git and docker read it
            List<String> asked = new ArrayList<>(words.subList(1, words.size()));
            asked.add("--help");
            return runGroup(group, asked);
        }
        BerthCommand.Entry entry = group.find(word)
                .orElseThrow(() -> new UsageException("unknown command '" + word + "'" + NearestWord.hint(word, group.words())));
        commandPath += " " + entry.name();
        List<String> rest = words.subList(1, words.size());
        // instanceof, not a pattern switch: its bootstrap costs every start about 10 ms
        if (entry instanceof BerthCommand.Group inner) {
            return runGroup(inner, rest);
        }
        return runCommand((BerthCommand.Command) entry, rest);
    }

    private int runCommand(BerthCommand.Command entry, List<String> args) throws Exception {
        Subcommand command = entry.factory().get();
        Syntax syntax = new Syntax();
        command.declare(syntax);
        invocation.declareGlobalOptions(syntax);
        if (!syntax.parse(args)) {
            invocation.out().print(HelpText.forCommand(commandPath, syntax));
            return 0;
        }
        return command.run(invocation);
    }

    private static List<HelpText.CommandRow> rows(BerthCommand.Group group) {
        return group.members().stream().map(entry -> switch (entry) {
            case BerthCommand.Group inner -> new HelpText.CommandRow(inner.name(), inner.description().getFirst());
            case BerthCommand.Command command -> {
                Syntax syntax = new Syntax();
                command.factory().get().declare(syntax);
                List<String> names = new ArrayList<>(List.of(command.name()));
                names.addAll(command.aliases());
                yield new HelpText.CommandRow(String.join(", ", names), syntax.summary());
            }
        }).toList();
    }
}
