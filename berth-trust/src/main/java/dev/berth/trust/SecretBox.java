package dev.berth.trust;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;

import java.util.Optional;

/**
 * NaCl's crypto_secretbox (XSalsa20 + Poly1305), the cipher of cosign's encrypted keys. Bouncy
 * Castle has both primitives but not their NaCl composition, which is fixed by NaCl: the first 32
 * bytes of the XSalsa20 key stream are the one-time Poly1305 key, the rest encrypts, and the
 * 16-byte tag over the ciphertext comes first.
 */
final class SecretBox {
    static final int KEY_SIZE = 32;
    static final int NONCE_SIZE = 24;
    private static final int TAG_SIZE = 16;

    private SecretBox() {
    }

    static byte[] seal(byte[] plaintext, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = stream(nonce, key);
        byte[] macKey = next(stream, KEY_SIZE);
        byte[] sealed = new byte[TAG_SIZE + plaintext.length];
        stream.processBytes(plaintext, 0, plaintext.length, sealed, TAG_SIZE);
        byte[] tag = tag(macKey, sealed);
        System.arraycopy(tag, 0, sealed, 0, TAG_SIZE);
        return sealed;
    }

    /** The plaintext, or empty when the tag does not match (a wrong key, or altered bytes). */
    static Optional<byte[]> open(byte[] sealed, byte[] nonce, byte[] key) {
        if (sealed.length < TAG_SIZE) {
            return Optional.empty();
        }
        XSalsa20Engine stream = stream(nonce, key);
        byte[] expected = tag(next(stream, KEY_SIZE), sealed);
        if (!Arrays.constantTimeAreEqual(TAG_SIZE, expected, 0, sealed, 0)) {
            return Optional.empty();
        }
        byte[] plaintext = new byte[sealed.length - TAG_SIZE];
        stream.processBytes(sealed, TAG_SIZE, plaintext.length, plaintext, 0);
        return Optional.of(plaintext);
    }

    private static XSalsa20Engine stream(byte[] nonce, byte[] key) {
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    private static byte[] next(XSalsa20Engine stream, int count) {
        byte[] keyStream = new byte[count];
        stream.processBytes(new byte[count], 0, count, keyStream, 0);
        return keyStream;
    }

    /** The Poly1305 tag of {@code sealed}'s ciphertext (what follows the tag's place). */
    private static byte[] tag(byte[] macKey, byte[] sealed) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(sealed, TAG_SIZE, sealed.length - TAG_SIZE);
        byte[] tag = new byte[TAG_SIZE];
        mac.doFinal(tag, 0);
        return tag;
    }
}
