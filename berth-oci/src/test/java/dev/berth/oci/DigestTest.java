package dev.berth.oci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void computesSha256AndSha512OfKnownContent() {
        assertThat(Digest.of(HELLO).toString())
                .isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(Digest.of(DigestAlgorithm.SHA512, HELLO).toString()).isEqualTo("sha512:"
                + "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043");
    }

    @Test
    void parsesWhatItPrints() {
        Digest digest = Digest.of(HELLO);
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
        assertThat(digest.shortHex()).isEqualTo("2cf24dba5fb0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "sha256",
            "sha256:",
            "sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
            "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98245",
            "md5:5d41402abc4b2a76b9719d911017c592",
            "sha512:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ":2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    })
    void rejectsMalformedDigests(String text) {
        assertThat(Digest.isValid(text)).isFalse();
        assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(BerthException.class)
                .extracting(e -> ((BerthException) e).code()).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void streamingDigestMatchesOneShotDigest() throws IOException {
        byte[] content = new byte[1 << 20];
        new java.util.Random(7).nextBytes(content);
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(content), DigestAlgorithm.SHA256);
        in.drainAndVerify("test blob", Digest.of(content), content.length);
        assertThat(in.count()).isEqualTo(content.length);
    }

    @Test
    void streamingVerificationNamesTheMismatch() {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(HELLO), DigestAlgorithm.SHA256);
        Digest other = Digest.of("bye".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> in.drainAndVerify("blob X", other, HELLO.length))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("blob X").hasMessageContaining(other.toString());
    }

    @Test
    void streamingVerificationCatchesATruncatedStream() {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(HELLO, 0, 3), DigestAlgorithm.SHA256);
        assertThatThrownBy(() -> in.drainAndVerify("blob X", Digest.of(HELLO), HELLO.length))
                .isInstanceOf(DigestMismatchException.class).hasMessageContaining("3 bytes");
    }
}
