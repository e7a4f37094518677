package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.BerthException;
import dev.berth.runtime.instance.Instances;
import dev.berth.runtime.sandbox.Caller;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** {@code berth instance logs NAME}: what the instance printed (standard output and error), including after it ended. */
public final class InstanceLogsCommand implements Subcommand {
    private String name;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Print what an instance wrote to its standard output and error; the log stays after it stopped,"
                        + " until an instance of that name starts again.")
                .parameter("NAME", "The instance.", value -> name = Instances.requireName(value));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Map<String, String> environment = System.getenv();
        Caller caller = Caller.current(environment);
        Path log = Instances.of(environment, caller).log(name, caller);
        invocation.out().flush();
        try (InputStream in = Files.newInputStream(log)) {
            in.transferTo(System.out);
        } catch (NoSuchFileException none) {
            throw new BerthException("INSTANCE_UNKNOWN", "there is no log of an instance named " + name + " (see berth instance list)");
        }
        System.out.flush();
        return 0;
    }
}
