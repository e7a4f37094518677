package dev.berth.cli;

import dev.berth.cli.commands.ConvertCommand;
import dev.berth.cli.commands.ExecCommand;
import dev.berth.cli.commands.ExportCommand;
import dev.berth.cli.commands.ImagesCommand;
import dev.berth.cli.commands.ImportCommand;
import dev.berth.cli.commands.InspectCommand;
import dev.berth.cli.commands.PruneCommand;
import dev.berth.cli.commands.RmiCommand;
import dev.berth.cli.commands.RunCommand;
import dev.berth.cli.commands.ShellCommand;
import dev.berth.cli.commands.TagCommand;
import dev.berth.cli.commands.VersionCommand;
import dev.berth.cli.commands.client.CopyCommand;
import dev.berth.cli.commands.client.LoginCommand;
import dev.berth.cli.commands.client.LogoutCommand;
import dev.berth.cli.commands.client.PullCommand;
import dev.berth.cli.commands.client.PushCommand;
import dev.berth.cli.commands.registry.RegistryCommand;
import dev.berth.cli.commands.registry.ServeCommand;
import dev.berth.oci.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code berth} command and the options every subcommand shares. Subcommands are listed in
 * {@link #SUBCOMMANDS} and added by {@link Subcommands}, only the one a command line names.
 */
@Command(name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Build, share, trust and run software containers.")
public final class BerthCommand implements Runnable {
    /** Every subcommand, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            VersionCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            ImagesCommand.class,
            InspectCommand.class,
            TagCommand.class,
            RmiCommand.class,
            PruneCommand.class,
            PullCommand.class,
            PushCommand.class,
            CopyCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            RunCommand.class,
            ExecCommand.class,
            ShellCommand.class,
            ConvertCommand.class,
            ServeCommand.class,
            RegistryCommand.class);

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where berth keeps its data (default: $BERTH_DATA_DIR, else $XDG_DATA_HOME/berth, else ~/.local/share/berth).")
    private Path dataDir;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    private boolean debug;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public boolean debug() {
        return debug;
    }

    /** The data directory: the flag, else the environment, else the XDG default. */
    public Path dataDir() {
        return DataDirectory.resolve(dataDir, System.getenv());
    }

    public LocalStore store() throws IOException {
        return LocalStore.open(dataDir().resolve("store"));
    }
}
