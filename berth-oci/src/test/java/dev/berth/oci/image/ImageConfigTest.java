package dev.berth.oci.image;

import dev.berth.oci.InvalidImageException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageConfigTest {
    private static final String CONFIG = """
            {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":{"created":"no"}},
             "rootfs":{"type":"layers","diff_ids":[]},
             "history":[{"created":"2020-01-01T00:00:00Z","created_by":"x"}],
             "created":"2026-03-04T05:06:07.123456789Z"}""";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheTopLevelCreatedTimeAloneAsTheWholeParseDoes() {
        assertThat(ImageConfig.created(bytes(CONFIG))).isEqualTo("2026-03-04T05:06:07.123456789Z")
                .isEqualTo(ImageConfig.parse(bytes(CONFIG)).created());
        assertThat(ImageConfig.created(bytes("{\"os\":\"linux\"}"))).isNull();
    }

    @Test
    void refusesAConfigThatIsNotJsonOrWhoseCreatedIsNotAString() {
        assertThatThrownBy(() -> ImageConfig.created(bytes("{\"created\":"))).isInstanceOf(InvalidImageException.class);
        assertThatThrownBy(() -> ImageConfig.created(bytes("{\"created\":5}"))).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("created");
    }
}
