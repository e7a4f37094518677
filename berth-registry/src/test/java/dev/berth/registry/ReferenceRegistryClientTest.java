package dev.berth.registry;

import dev.berth.oci.Digest;
import org.junit.jupiter.api.AfterAll;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same client scenarios against docker-registry (distribution 2.8): they pass alike, except
 * that it has no referrers API and sends no OCI-Subject, so clients fall back to the tag schema.
 */
class ReferenceRegistryClientTest extends ClientScenarios {
    private ReferenceRegistry registry;

    @Override
    String startRegistry(Path directory) throws Exception {
        registry = ReferenceRegistry.start(directory);
        return registry.url();
    }

    @Override
    String hostPort() {
        return registry.hostPort();
    }

    @Override
    void checkReferrers(HttpResponse<byte[]> put, Digest subject, Digest artifact) throws Exception {
        assertThat(put.headers().firstValue("OCI-Subject")).isEmpty();
        assertThat(api.get("/v2/interop/artifact/referrers/" + subject).statusCode()).isEqualTo(404);
    }

    @AfterAll
    void stop() {
        registry.close();
    }
}
