package dev.berth.distribution;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What berth takes from a registry's error body for its one-line error. */
class OciErrorTest {
    @Test
    void theFirstErrorOfASpecShapedBodyIsTaken() {
        assertThat(OciError.firstIn(bytes("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
                + "\"detail\":{\"Tag\":\"2\"}},{\"code\":\"SECOND\",\"message\":\"ignored\"}]}")))
                .contains(new OciError("MANIFEST_UNKNOWN", "manifest unknown"));
    }

    @Test
    void fieldsOfAnotherTypeAreLeftOut() {
        assertThat(OciError.firstIn(bytes("{\"errors\":[{\"code\":42,\"message\":\"odd\"}]}")))
                .contains(new OciError(null, "odd"));
    }

    @Test
    void aBodyThatIsNotAnOciErrorGivesNothing() {
        assertThat(OciError.firstIn(bytes("<html><body>502 Bad Gateway</body></html>"))).isEmpty();
        assertThat(OciError.firstIn(bytes("{\"errors\":[]}"))).isEmpty();
        assertThat(OciError.firstIn(new byte[0])).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
