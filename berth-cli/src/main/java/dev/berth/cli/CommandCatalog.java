package dev.berth.cli;

import dev.berth.cli.args.CommandPage;
import dev.berth.cli.args.Syntax;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Every command and group of berth with its declared syntax, in help's order: what completion and the manual are made from. */
public final class CommandCatalog {
    private CommandCatalog() {
    }

    public static List<CommandPage> pages() {
        List<CommandPage> pages = new ArrayList<>();
        add(BerthCommand.BERTH, BerthCommand.BERTH.name(), pages);
        return pages;
    }

    private static void add(BerthCommand.Group group, String path, List<CommandPage> pages) {
        Syntax syntax = new Syntax().describe(group.description().toArray(String[]::new));
        globalOptions(syntax);
        if (group == BerthCommand.BERTH) {
            syntax.flag("-V, --version", "Print berth's version and exit.", () -> { });
        }
        List<String> words = new ArrayList<>(group.words());
        if (group == BerthCommand.BERTH) {
            words.add("help");
        }
        pages.add(new CommandPage(path, words, syntax));
        for (BerthCommand.Entry entry : group.members()) {
            String inner = path + " " + entry.name();
            if (entry instanceof BerthCommand.Group members) {
                add(members, inner, pages);
            } else {
                Syntax declared = new Syntax();
                ((BerthCommand.Command) entry).factory().get().declare(declared);
                globalOptions(declared);
                pages.add(new CommandPage(inner, List.of(), declared));
            }
        }
    }

    /** The options every command accepts, declared as the parser declares them. */
    private static void globalOptions(Syntax syntax) {
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        new Invocation(List.of(), nowhere, nowhere).declareGlobalOptions(syntax);
    }
}
