package dev.berth.trust;

import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimpleSigningPayloadTest {
    private static final Digest DIGEST = Digest.of("image".getBytes(StandardCharsets.UTF_8));

    private static byte[] json(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String critical() {
        return "{'identity':{'docker-reference':'registry.example/tool'},'image':{'docker-manifest-digest':'" + DIGEST
                + "'},'type':'cosign container image signature'}";
    }

    @Test
    void whatBerthWritesReadsBackWithExactlyTheSpecifiedFields() {
        SimpleSigningPayload payload = SimpleSigningPayload.of(DIGEST, "registry.example/tool", "berth test",
                Instant.parse("2026-12-04T06:00:00Z"));

        String text = new String(payload.bytes(), StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/tool\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":{\"creator\":\"berth test\",\"timestamp\":1796364000}}");
        assertThat(SimpleSigningPayload.parse(payload.bytes())).isEqualTo(payload);
    }

    @Test
    void cosignsNullOptionalIsAccepted() {
        SimpleSigningPayload payload = SimpleSigningPayload.parse(json("{'critical':" + critical() + ",'optional':null}"));

        assertThat(payload.manifestDigest()).isEqualTo(DIGEST);
        assertThat(payload.timestamp()).isEmpty();
    }

    @Test
    void anExtraFieldAnywhereInTheSignedPartIsRefused() {
        assertThatThrownBy(() -> SimpleSigningPayload.parse(json("{'critical':" + critical() + ",'optional':null,'x':1}")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("x");
        String extraInImage = critical().replace("'image':{", "'image':{'docker-manifest-digest-2':'sha256:00',");
        assertThatThrownBy(() -> SimpleSigningPayload.parse(json("{'critical':" + extraInImage + ",'optional':null}")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("docker-manifest-digest-2");
        String extraInCritical = critical().replace("{'identity'", "{'scope':'all','identity'");
        assertThatThrownBy(() -> SimpleSigningPayload.parse(json("{'critical':" + extraInCritical + ",'optional':null}")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("scope");
    }

    @Test
    void anotherSignatureTypeAndAFractionalTimestampAreRefused() {
        String otherType = critical().replace("cosign container image signature", "atomic container signature");
        assertThatThrownBy(() -> SimpleSigningPayload.parse(json("{'critical':" + otherType + ",'optional':null}")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> SimpleSigningPayload.parse(json("{'critical':" + critical() + ",'optional':{'timestamp':1.5}}")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("timestamp");
    }
}
