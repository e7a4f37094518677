package dev.berth.distribution;

import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.RegistryTransferScenarios;
import dev.berth.distribution.testing.TestRegistry;

import java.nio.file.Path;

/** The pull/push/copy scenarios against docker-registry, the CNCF reference registry. */
class RegistryTransferTest extends RegistryTransferScenarios {
    @Override
    protected TestRegistry startRegistry(Path dir) throws Exception {
        return DockerRegistry.builder(dir).start();
    }
}
