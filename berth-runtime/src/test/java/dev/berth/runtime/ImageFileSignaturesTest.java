package dev.berth.runtime;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFileSignaturesTest {
    private static final byte[] CONTENT = "squashfs bytes and their header".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    @Test
    void signaturesAccumulateAfterTheContentWithoutChangingIt(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("app.img"), CONTENT);
        Digest before = ImageFileSignatures.contentDigest(file, CONTENT.length);
        assertThat(ImageFileSignatures.read(file).signatures()).isEmpty();

        ImageFileSignatures.add(file, "{\"signer\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        ImageFileSignatures.add(file, "{\"signer\":\"b\"}".getBytes(StandardCharsets.UTF_8));

        ImageFileSignatures.Carried carried = ImageFileSignatures.read(file);
        assertThat(carried.contentLength()).isEqualTo(CONTENT.length);
        assertThat(carried.signatures()).extracting(s -> new String(s, StandardCharsets.UTF_8))
                .containsExactly("{\"signer\":\"a\"}", "{\"signer\":\"b\"}");
        assertThat(ImageFileSignatures.contentDigest(file, carried.contentLength())).isEqualTo(before);
        assertThat(Arrays.copyOf(Files.readAllBytes(file), CONTENT.length)).isEqualTo(CONTENT);
    }

    @Test
    void aTrailerThatClaimsMoreThanTheFileHoldsIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("forged.img"), CONTENT);
        ImageFileSignatures.add(file, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 16, Long.MAX_VALUE);
        Files.write(file, bytes);
        assertThatThrownBy(() -> ImageFileSignatures.read(file)).isInstanceOf(BerthException.class)
                .hasMessageContaining("is not a valid berth image file: its signature trailer is damaged");
    }

    @Test
    void aTrailerThatIsNotAListIsRefused(@TempDir Path dir) throws Exception {
        byte[] trailer = "{\"not\":\"a list\"}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(CONTENT.length + trailer.length + 16);
        file.put(CONTENT).put(trailer).putLong(trailer.length).put("BERTHSIG".getBytes(StandardCharsets.US_ASCII));
        Path path = Files.write(dir.resolve("odd.img"), file.array());
        assertThatThrownBy(() -> ImageFileSignatures.read(path)).hasMessageContaining("its signature trailer is not a list");
    }
}
