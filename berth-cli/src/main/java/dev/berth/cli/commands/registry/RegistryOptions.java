package dev.berth.cli.commands.registry;

import dev.berth.cli.BerthCommand;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryConfigFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The options every registry command shares: where the storage is and which config file to read. */
final class RegistryOptions {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Registry storage directory (default: <data-dir>/registry).")
    Path root;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Registry config file (key = value lines; see docs/registry.md).")
    Path configFile;

    /** Defaults, then the config file, then the flags. */
    RegistryConfig resolve(BerthCommand berth) throws IOException {
        RegistryConfig config = RegistryConfig.defaults(berth.dataDir().resolve("registry"));
        if (configFile != null) {
            config = RegistryConfigFile.read(configFile, config);
        }
        if (root != null) {
            config = config.withRoot(root.toAbsolutePath());
        }
        return config;
    }
}
