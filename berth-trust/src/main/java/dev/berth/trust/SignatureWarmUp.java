package dev.berth.trust;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ECDSA verification warmed up on a background thread while the registry is still being asked
 * for signatures: a cold JVM runs the P-256 arithmetic of its first verifications interpreted,
 * which cost berth verify about 60 ms before the first signature was checked (docs/benchmarks.md,
 * Trust). The key and signature are a fixed pair made once for this and vouch for nothing.
 */
public final class SignatureWarmUp {
    private static final String PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsUwco/cKhdCUbGxUUHWXx0/aKrZyCLoAPTdgAXUxJorY"
            + "JCxUCKOQJBE3NglzyFC2lOeAGnXWH3OZBptvKLSCkg==";
    private static final String SIGNATURE = "MEUCIQDcvuTqtklBNOVSrJbS0srk5fyNQDdY3qKFYK+05sft/wIgeJrKRHcci1zCWGAbf6ls6qAC"
            + "pkHf3TCFsjq1g0E9i3o=";
    private static final byte[] MESSAGE = "berth signature warm-up".getBytes(StandardCharsets.US_ASCII);
    private static final int VERIFICATIONS = 3;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SignatureWarmUp() {
    }

    public static void startOnce() {
        if (!STARTED.getAndSet(true)) {
            Thread.ofPlatform().daemon().name("berth-signature-warm-up").start(SignatureWarmUp::verify);
        }
    }

    /** True when the fixed signature checks out, as it always should: a false one still warmed the code. */
    static boolean verify() {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(PUBLIC_KEY)));
            byte[] signature = Base64.getDecoder().decode(SIGNATURE);
            boolean valid = true;
            for (int i = 0; i < VERIFICATIONS; i++) {
                Signature verifier = Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(key);
                verifier.update(MESSAGE);
                valid &= verifier.verify(signature);
            }
            return valid;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
