package dev.berth.cli.commands.registry;

import dev.berth.cli.BerthCommand;
import dev.berth.registry.HostPort;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code berth serve}: run the OCI registry until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Run an OCI Distribution v1.1 registry that docker, podman, skopeo, buildah and ORAS can use.",
        "Prints the URL it listens on; stops gracefully on SIGTERM or Ctrl-C."})
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private BerthCommand berth;

    @Spec
    private CommandSpec spec;

    @Mixin
    private RegistryOptions options = new RegistryOptions();

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: 127.0.0.1:5000; port 0 picks a free port).")
    private String listen;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RegistryConfig config = options.resolve(berth);
        if (listen != null) {
            try {
                HostPort address = HostPort.parse(listen);
                config = config.withListen(address.host(), address.port());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        RegistryServer server = RegistryServer.start(config);
        Thread stopper = new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("berth: stopping the registry: " + e.getMessage());
            }
        }, "berth-serve-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        PrintWriter out = spec.commandLine().getOut();
        out.println("berth registry listening on " + server.url());
        out.println("storage: " + config.root());
        out.flush();
        server.join();
        return 0;
    }
}
