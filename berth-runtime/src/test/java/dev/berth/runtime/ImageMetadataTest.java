package dev.berth.runtime;

import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ImageMetadataTest {
    private static final Digest MANIFEST = Digest.of("manifest".getBytes(StandardCharsets.UTF_8));

    @Test
    void runtimeRecordsRoundTripArgumentsWithNewlinesQuotesAndEquals() {
        ImageMetadata metadata = new ImageMetadata("tools:1", MANIFEST, Platform.of("linux", "amd64", null),
                List.of("/bin/sh", "-c", "echo \"a=b\"\nexit 3"), List.of(), List.of("PATH=/bin", "X=1=2"), "/work",
                Map.of("dev.berth.requires.memory", "16G", "dev.berth.requires.cores", "8"));
        ImageMetadata parsed = ImageMetadata.parse(new String(metadata.runtimeRecords(), StandardCharsets.UTF_8));
        assertThat(parsed).isEqualTo(metadata);
    }

    @Test
    void anAbsentCommandDiffersFromAnEmptyOne() {
        ImageMetadata none = new ImageMetadata("x", MANIFEST, Platform.of("linux", "arm64", "v8"), null, null, null, null, null);
        ImageMetadata parsed = ImageMetadata.parse(new String(none.runtimeRecords(), StandardCharsets.UTF_8));
        assertThat(parsed.entrypoint()).isNull();
        assertThat(parsed.cmd()).isNull();
        assertThat(parsed.platform().toString()).isEqualTo("linux/arm64/v8");
    }
}
