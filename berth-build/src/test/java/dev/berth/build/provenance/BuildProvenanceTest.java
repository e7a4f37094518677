package dev.berth.build.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.BaseImages;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildProvenanceTest {
    private static final Digest BASE = Digest.of("base".getBytes(StandardCharsets.UTF_8));

    private static BuildProvenance sample() {
        return new BuildProvenance("docker/Dockerfile", Digest.of("recipe".getBytes(StandardCharsets.UTF_8)),
                Digest.of("context".getBytes(StandardCharsets.UTF_8)), Map.of("WHO", "berth"), Optional.of("build"), false,
                Optional.of(Instant.ofEpochSecond(1700000000)),
                List.of(new BuildProvenance.ResolvedBase("debian:12", "docker.io/library/debian:12", BASE)),
                "1.0", Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:01:00Z"));
    }

    @Test
    void whatIsWrittenIsReadBackTheSame() {
        BuildProvenance provenance = sample();
        assertThat(provenance.predicate().path("buildDefinition").path("buildType").asText()).isEqualTo(BuildProvenance.BUILD_TYPE);
        assertThat(BuildProvenance.read(provenance.predicate())).isEqualTo(provenance);
    }

    @Test
    void aRebuildOpensTheRecordedBasesByDigestAndNoOthers() throws Exception {
        List<String> opened = new ArrayList<>();
        BaseImages images = reference -> {
            opened.add(reference);
            return new BaseImages.BaseImage(reference, BASE, List.of(), new byte[0], null);
        };
        sample().pinnedBases(images).open("debian:12");
        assertThat(opened).containsExactly("docker.io/library/debian@" + BASE);
        assertThatThrownBy(() -> sample().pinnedBases(images).open("debian:13")).isInstanceOf(BerthException.class)
                .hasMessage("the recipe names the image debian:13, which the recorded build did not use");
    }

    @Test
    void provenanceOfAnotherBuilderOrWithoutItsSourcesIsRefused() {
        ObjectNode other = (ObjectNode) sample().predicate();
        ((ObjectNode) other.path("buildDefinition")).put("buildType", "https://example.org/other/v1");
        assertThatThrownBy(() -> BuildProvenance.read(other)).isInstanceOf(BerthException.class)
                .hasMessageContaining("a build of type \"https://example.org/other/v1\"");

        ObjectNode sourceless = (ObjectNode) sample().predicate();
        ((ObjectNode) sourceless.path("buildDefinition")).putArray("resolvedDependencies");
        assertThatThrownBy(() -> BuildProvenance.read(sourceless)).isInstanceOf(BerthException.class)
                .hasMessageContaining("does not record the recipe and the context by digest");
    }
}
