package dev.berth.cli.commands.system;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;

/**
 * {@code berth system warm}: the launcher (bin/berth) trains the JDK's start-up caches before a
 * JVM starts, so this command reaches Java only when berth was started some other way.
 */
public final class SystemWarmCommand implements Subcommand {
    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Build the start-up caches of every command family now, in the foreground (e.g. at install time).",
                "Without it the first command of a family builds its cache in the background, one at a time, at idle priority.");
    }

    @Override
    public int run(Invocation invocation) {
        throw new BerthException("LAUNCHER_NEEDED", "the berth launcher (bin/berth) builds the start-up caches, and this"
                + " JVM was started without it; run berth system warm through bin/berth");
    }
}
