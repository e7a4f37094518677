package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import org.junit.jupiter.api.AfterAll;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The client scenarios against berth. */
class BerthClientTest extends ClientScenarios {
    private TestRegistry registry;

    @Override
    String startRegistry(Path directory) throws Exception {
        registry = TestRegistry.start(directory);
        return registry.url();
    }

    @Override
    String hostPort() {
        return registry.hostPort();
    }

    @Override
    void checkReferrers(HttpResponse<byte[]> put, Digest subject, Digest artifact) throws Exception {
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject.toString());
        assertThat(referrers(subject, "").manifests()).extracting(Descriptor::digest).containsExactly(artifact);
        assertThat(referrers(subject, "?artifactType=application/spdx%2Bjson").manifests()).extracting(Descriptor::artifactType)
                .containsExactly("application/spdx+json");
        assertThat(referrers(subject, "?artifactType=application/other").manifests()).isEmpty();
    }

    @AfterAll
    void stop() throws Exception {
        registry.close();
    }
}
