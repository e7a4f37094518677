package dev.berth.cli.commands;

import dev.berth.cli.CommandCatalog;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.ManPage;
import dev.berth.cli.args.Syntax;

import java.time.LocalDate;

/** {@code berth manual}: berth(1) in roff, every command from the same model as --help. */
public final class ManualCommand implements Subcommand {
    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Print berth's manual page, berth(1), for man: berth manual > berth.1 && man ./berth.1.",
                        "The distribution installs it as share/man/man1/berth.1.");
    }

    @Override
    public int run(Invocation invocation) {
        invocation.out().print(ManPage.of(CommandCatalog.pages(), VersionCommand.version(), LocalDate.now()));
        return 0;
    }
}
