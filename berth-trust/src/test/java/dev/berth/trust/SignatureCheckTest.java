package dev.berth.trust;

import dev.berth.oci.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureCheckTest {
    private static final Digest DIGEST = Digest.of("image".getBytes(StandardCharsets.UTF_8));
    private static final SigningKey STAFF = SigningKey.generate();
    private static final List<AcceptedKey> ACCEPTED = List.of(new AcceptedKey("staff.pub", STAFF.publicKey()));

    private static String signature(SigningKey key, byte[] payload) {
        return Base64.getEncoder().encodeToString(key.sign(payload));
    }

    @Test
    void aSignatureByAnAcceptedKeyOverTheDigestIsValid() {
        byte[] payload = SimpleSigningPayload.of(DIGEST, "registry.example/tool", "test", Instant.now()).bytes();

        SignatureCheck check = SignatureCheck.of(payload, signature(STAFF, payload), ACCEPTED, DIGEST);

        assertThat(check.valid()).isTrue();
        assertThat(check.signer().orElseThrow().name()).isEqualTo("staff.pub");
    }

    @Test
    void aValidlySignedPayloadWithAnExtraFieldIsStillRefused() {
        String text = new String(SimpleSigningPayload.of(DIGEST, "registry.example/tool", "test", Instant.now()).bytes(),
                StandardCharsets.UTF_8);
        byte[] payload = text.replaceFirst("\\{\"critical\"", "{\"allow\":\"everything\",\"critical\"")
                .getBytes(StandardCharsets.UTF_8);

        SignatureCheck check = SignatureCheck.of(payload, signature(STAFF, payload), ACCEPTED, DIGEST);

        assertThat(check.valid()).isFalse();
        assertThat(check.problem().orElseThrow()).contains("breaks cosign's format").contains("allow");
    }

    @Test
    void aSignatureOverAnotherDigestIsRefused() {
        Digest other = Digest.of("other".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SimpleSigningPayload.of(other, "registry.example/tool", "test", Instant.now()).bytes();

        SignatureCheck check = SignatureCheck.of(payload, signature(STAFF, payload), ACCEPTED, DIGEST);

        assertThat(check.problem().orElseThrow()).isEqualTo("it signs " + other + ", not " + DIGEST);
    }

    @Test
    void aSignatureByAnotherKeyOrOverAlteredBytesIsRefused() {
        byte[] payload = SimpleSigningPayload.of(DIGEST, "registry.example/tool", "test", Instant.now()).bytes();
        byte[] altered = new String(payload, StandardCharsets.UTF_8).replace("registry.example", "evil.example")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(SignatureCheck.of(payload, signature(SigningKey.generate(), payload), ACCEPTED, DIGEST).problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("not signed by an accepted key"));
        assertThat(SignatureCheck.of(altered, signature(STAFF, payload), ACCEPTED, DIGEST).valid()).isFalse();
        assertThat(SignatureCheck.of(payload, "not base64!", ACCEPTED, DIGEST).valid()).isFalse();
    }
}
