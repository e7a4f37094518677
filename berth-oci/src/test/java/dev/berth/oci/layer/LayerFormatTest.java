package dev.berth.oci.layer;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerFormatTest {
    @ParameterizedTest
    @EnumSource(Compression.class)
    void detectsCompressionFromContentAndDecompresses(Compression compression) throws IOException {
        byte[] plain = "a tar stream, or something like one".repeat(100).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = compression.compressing(compressed)) {
            out.write(plain);
        }
        InputStream in = new java.io.BufferedInputStream(new ByteArrayInputStream(compressed.toByteArray()));
        assertThat(Compression.detect(in)).isEqualTo(compression);
        assertThat(Compression.decompressed(new ByteArrayInputStream(compressed.toByteArray())).readAllBytes()).isEqualTo(plain);
    }

    @Test
    void understandsWhiteoutsAndOpaqueMarkers() {
        assertThat(Whiteout.isWhiteout("etc/.wh.passwd")).isTrue();
        assertThat(Whiteout.target("etc/.wh.passwd")).isEqualTo("etc/passwd");
        assertThat(Whiteout.target(".wh.top")).isEqualTo("top");
        assertThat(Whiteout.isWhiteout("etc/.wh..wh..opq")).isFalse();
        assertThat(Whiteout.isOpaqueMarker("var/cache/.wh..wh..opq")).isTrue();
        assertThat(Whiteout.opaqueDirectory("var/cache/.wh..wh..opq")).isEqualTo("var/cache");
        assertThat(Whiteout.isWhiteout("etc/passwd.wh.")).isFalse();
    }

    @Test
    void cleansPathsAndKeepsThemInsideTheRoot() {
        assertThat(LayerPaths.clean("./usr//bin/", "L")).isEqualTo("usr/bin");
        assertThat(LayerPaths.clean("/etc/passwd", "L")).isEqualTo("etc/passwd");
        assertThat(LayerPaths.clean("a/b/../c", "L")).isEqualTo("a/c");
        assertThat(LayerPaths.clean("./", "L")).isEmpty();
        assertThatThrownBy(() -> LayerPaths.clean("../etc/shadow", "sha256:abc"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("layer sha256:abc").hasMessageContaining("../etc/shadow");
        assertThatThrownBy(() -> LayerPaths.clean("a/../../x", "L")).hasMessageContaining("climbs out");
        assertThatThrownBy(() -> LayerPaths.requireNoParentSteps("a/../b", "L")).hasMessageContaining("'..'");
    }
}
