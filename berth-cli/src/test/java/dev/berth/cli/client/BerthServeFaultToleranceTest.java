package dev.berth.cli.client;

import dev.berth.distribution.testing.FaultToleranceScenarios;
import dev.berth.distribution.testing.TestRegistry;

import java.nio.file.Path;

/** Pulls and pushes to berth serve through a misbehaving network, as against docker-registry. */
class BerthServeFaultToleranceTest extends FaultToleranceScenarios {
    @Override
    protected TestRegistry startRegistry(Path dir) throws Exception {
        return BerthServe.start(dir);
    }
}
