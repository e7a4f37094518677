package dev.berth.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DsseTest {
    @Test
    void preAuthenticationEncodingIsTheSpecificationsExample() {
        byte[] encoded = Dsse.preAuthenticationEncoding("http://example.com/HelloWorld",
                "hello world".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void lengthsCountBytesNotCharacters() {
        byte[] encoded = Dsse.preAuthenticationEncoding("t", "é".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }
}
