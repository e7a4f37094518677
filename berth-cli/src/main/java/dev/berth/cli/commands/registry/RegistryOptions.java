package dev.berth.cli.commands.registry;

import dev.berth.cli.Invocation;
import dev.berth.cli.args.Syntax;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryConfigFile;

import java.io.IOException;
import java.nio.file.Path;

/** The options every registry command shares: where the storage is and which config file to read. */
final class RegistryOptions {
    private Path root;
    private Path configFile;

    void declare(Syntax syntax) {
        syntax.option("--root", "DIR", "Registry storage directory (default: <data-dir>/registry).", value -> root = Path.of(value))
                .option("--config", "FILE", "Registry config file (key = value lines; see docs/registry.md).",
                        value -> configFile = Path.of(value));
    }

    /** Defaults, then the config file, then the flags. */
    RegistryConfig resolve(Invocation invocation) throws IOException {
        RegistryConfig config = RegistryConfig.defaults(invocation.dataDir().resolve("registry"));
        if (configFile != null) {
            config = RegistryConfigFile.read(configFile, config);
        }
        if (root != null) {
            config = config.withRoot(root.toAbsolutePath());
        }
        return config;
    }
}
