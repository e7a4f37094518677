package dev.berth.distribution;

import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.FaultToleranceScenarios;
import dev.berth.distribution.testing.TestRegistry;

import java.nio.file.Path;

/** The fault-tolerance scenarios against docker-registry, the CNCF reference registry. */
class FaultToleranceTest extends FaultToleranceScenarios {
    @Override
    protected TestRegistry startRegistry(Path dir) throws Exception {
        return DockerRegistry.builder(dir).start();
    }
}
