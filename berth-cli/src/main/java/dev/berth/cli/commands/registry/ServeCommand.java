package dev.berth.cli.commands.registry;

import dev.berth.cli.Invocation;
import dev.berth.cli.ProcessExit;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.registry.HostPort;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;

import java.io.IOException;
import java.io.PrintWriter;

/** {@code berth serve}: run the OCI registry until stopped. */
public final class ServeCommand implements Subcommand {
    private final RegistryOptions options = new RegistryOptions();
    private String listen;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Run an OCI Distribution v1.1 registry that docker, podman, skopeo, buildah and ORAS can use.",
                        "Prints the URL it listens on; stops gracefully on SIGTERM or Ctrl-C.")
                .option("--listen", "HOST:PORT", "Address to listen on (default: 127.0.0.1:5000; port 0 picks a free port).",
                        value -> listen = value);
        options.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException, InterruptedException {
        RegistryConfig config = options.resolve(invocation);
        if (listen != null) {
            try {
                HostPort address = HostPort.parse(listen);
                config = config.withListen(address.host(), address.port());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
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
        ProcessExit.onShutdown(stopper);
        PrintWriter out = invocation.out();
        out.println("berth registry listening on " + server.url());
        out.println("storage: " + config.root());
        out.flush();
        server.join();
        return 0;
    }
}
