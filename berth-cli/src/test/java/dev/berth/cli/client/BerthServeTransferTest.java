package dev.berth.cli.client;

import dev.berth.distribution.testing.RegistryTransferScenarios;
import dev.berth.distribution.testing.TestRegistry;

import java.nio.file.Path;

/** berth's registry client against berth's own registry: the pull/push/copy scenarios docker-registry passes. */
class BerthServeTransferTest extends RegistryTransferScenarios {
    @Override
    protected TestRegistry startRegistry(Path dir) throws Exception {
        return BerthServe.start(dir);
    }
}
