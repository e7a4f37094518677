package dev.berth.trust;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptedKeyFileTest {
    private static final char[] PASSWORD = "correct horse".toCharArray();

    @Test
    void aKeyOpensWithItsPasswordAndSignsForItsPublicKey() {
        SigningKey key = SigningKey.generate();
        byte[] file = key.encrypted(PASSWORD).getBytes(StandardCharsets.US_ASCII);

        SigningKey opened = SigningKey.open(file, PASSWORD, "cosign.key");

        byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
        VerifyingKey publicKey = VerifyingKey.read(key.publicKey().pem().getBytes(StandardCharsets.US_ASCII), "cosign.pub");
        assertThat(opened.publicKey()).isEqualTo(publicKey);
        assertThat(publicKey.verifies(content, opened.sign(content))).isTrue();
    }

    @Test
    void aWrongPasswordOrAnAlteredCiphertextIsRefused() {
        String file = SigningKey.generate().encrypted(PASSWORD);

        assertThatThrownBy(() -> SigningKey.open(file.getBytes(StandardCharsets.US_ASCII), "wrong".toCharArray(), "cosign.key"))
                .isInstanceOf(BerthException.class).hasMessage("wrong password for cosign.key (or the file was altered): "
                        + "give the password it was made with");
        String json = new String(Pem.decode(file.getBytes(StandardCharsets.US_ASCII), "k").content(), StandardCharsets.UTF_8);
        String ciphertext = json.replaceAll(".*\"ciphertext\":\"([^\"]+)\".*", "$1");
        byte[] flipped = Base64.getDecoder().decode(ciphertext);
        flipped[flipped.length - 1] ^= 1;
        byte[] altered = new Pem(EncryptedKeyFile.PEM_TYPE, json.replace(ciphertext, Base64.getEncoder().encodeToString(flipped))
                .getBytes(StandardCharsets.UTF_8)).encode().getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SigningKey.open(altered, PASSWORD, "cosign.key"))
                .isInstanceOf(BerthException.class).hasMessageContaining("wrong password");
    }

    @Test
    void anScryptCostCosignNeverWritesIsRefusedBeforeDerivingAnything() {
        String json = new String(Pem.decode(SigningKey.generate().encrypted(PASSWORD).getBytes(StandardCharsets.US_ASCII), "k")
                .content(), StandardCharsets.UTF_8).replace("\"N\":65536", "\"N\":1073741824");
        byte[] file = new Pem(EncryptedKeyFile.PEM_TYPE, json.getBytes(StandardCharsets.UTF_8)).encode()
                .getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> SigningKey.open(file, PASSWORD, "cosign.key"))
                .isInstanceOf(BerthException.class).hasMessageContaining("scrypt");
    }

    @Test
    void aPublicKeyIsNotTakenForAPrivateOne() {
        byte[] publicFile = SigningKey.generate().publicKey().pem().getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> SigningKey.open(publicFile, PASSWORD, "cosign.pub"))
                .isInstanceOf(BerthException.class).hasMessageContaining("not an encrypted signing key");
    }
}
