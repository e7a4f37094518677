package dev.berth.trust;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import org.bouncycastle.crypto.generators.SCrypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * cosign's encrypted private key file: PKCS#8 bytes sealed by NaCl secretbox under a key that
 * scrypt derives from the password, as JSON inside a PEM block (the format of sigstore's
 * cryptoutils and go-securesystemslib's {@code encrypted} package). skopeo, podman and cosign read it.
 */
public final class EncryptedKeyFile {
    public static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    /** What cosign wrote before the format moved to sigstore; still read. */
    static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";
    private static final String KDF = "scrypt";
    private static final String CIPHER = "nacl/secretbox";
    private static final int SALT_SIZE = 32;
    /** The scrypt costs readers accept (legacy 2^15, standard 2^16, OWASP 2^17); anything else could be a denial of service. */
    private static final Set<Integer> ACCEPTED_COSTS = Set.of(1 << 15, 1 << 16, 1 << 17);
    private static final ScryptParams STANDARD = new ScryptParams(1 << 16, 8, 1);

    record ScryptParams(@JsonProperty("N") int n, int r, int p) {
    }

    record Kdf(String name, ScryptParams params, byte[] salt) {
    }

    record Cipher(String name, byte[] nonce) {
    }

    record Sealed(Kdf kdf, Cipher cipher, byte[] ciphertext) {
    }

    private EncryptedKeyFile() {
    }

    /** The PEM text of {@code pkcs8} sealed under {@code password}. */
    public static String seal(byte[] pkcs8, char[] password) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[SALT_SIZE];
        byte[] nonce = new byte[SecretBox.NONCE_SIZE];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        Kdf kdf = new Kdf(KDF, STANDARD, salt);
        byte[] ciphertext = SecretBox.seal(pkcs8, nonce, derive(kdf, password));
        return new Pem(PEM_TYPE, Json.write(new Sealed(kdf, new Cipher(CIPHER, nonce), ciphertext))).encode();
    }

    /** The PKCS#8 bytes inside {@code fileBytes}; {@code what} names the file in errors. */
    public static byte[] open(byte[] fileBytes, char[] password, String what) {
        Pem pem = Pem.decode(fileBytes, what);
        if (!List.of(PEM_TYPE, LEGACY_PEM_TYPE).contains(pem.type())) {
            throw new BerthException("KEY_INVALID", what + " is a " + pem.type() + ", not an encrypted signing key"
                    + " (make one with: berth key generate)");
        }
        Sealed sealed = Json.read(pem.content(), Sealed.class, what);
        if (sealed.kdf() == null || sealed.cipher() == null || sealed.ciphertext() == null
                || !KDF.equals(sealed.kdf().name()) || !CIPHER.equals(sealed.cipher().name())) {
            throw new BerthException("KEY_INVALID", what + " is not sealed with scrypt and nacl/secretbox");
        }
        ScryptParams params = sealed.kdf().params();
        if (params == null || !ACCEPTED_COSTS.contains(params.n()) || params.r() != 8 || params.p() != 1
                || sealed.kdf().salt() == null || sealed.cipher().nonce() == null
                || sealed.cipher().nonce().length != SecretBox.NONCE_SIZE) {
            throw new BerthException("KEY_INVALID", what + " has scrypt or nonce parameters cosign does not use");
        }
        return SecretBox.open(sealed.ciphertext(), sealed.cipher().nonce(), derive(sealed.kdf(), password))
                .orElseThrow(() -> new BerthException("KEY_PASSWORD", "wrong password for " + what
                        + " (or the file was altered): give the password it was made with"));
    }

    private static byte[] derive(Kdf kdf, char[] password) {
        byte[] passwordBytes = new String(password).getBytes(StandardCharsets.UTF_8);
        return SCrypt.generate(passwordBytes, kdf.salt(), kdf.params().n(), kdf.params().r(), kdf.params().p(), SecretBox.KEY_SIZE);
    }
}
