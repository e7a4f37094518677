package dev.berth.cli;

import dev.berth.cli.args.Syntax;
import dev.berth.oci.store.LocalStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** What a command runs with: the options every berth command accepts, and where to print. */
public final class Invocation {
    private final List<String> arguments;
    private final PrintWriter out;
    private final PrintWriter err;
    private Path dataDir;
    private boolean debug;

    Invocation(List<String> arguments, PrintWriter out, PrintWriter err) {
        this.arguments = List.copyOf(arguments);
        this.out = out;
        this.err = err;
    }

    /** Adds the options every command accepts, before or after its name. */
    void declareGlobalOptions(Syntax syntax) {
        syntax.option("--data-dir", "DIR",
                        "Where berth keeps its data (default: $BERTH_DATA_DIR, else $XDG_DATA_HOME/berth, else ~/.local/share/berth).",
                        value -> dataDir = Path.of(value))
                .flag("--debug", "Print stack traces with errors.", () -> debug = true);
    }

    /** berth's command line as it was given, for a command that starts berth again with it. */
    public List<String> arguments() {
        return arguments;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    boolean debug() {
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
