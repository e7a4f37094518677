package dev.berth.trust;

import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** A public ECDSA key as cosign writes it: a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo). */
public final class VerifyingKey {
    static final String PEM_TYPE = "PUBLIC KEY";
    private final PublicKey key;

    private VerifyingKey(PublicKey key) {
        this.key = key;
    }

    static VerifyingKey of(PublicKey key) {
        return new VerifyingKey(key);
    }

    /** Reads a PEM public key file; {@code what} names it in errors. */
    public static VerifyingKey read(byte[] fileBytes, String what) {
        Pem pem = Pem.decode(fileBytes, what);
        if (!PEM_TYPE.equals(pem.type())) {
            throw new BerthException("KEY_INVALID", what + " is a " + pem.type() + ", not a PUBLIC KEY: give the .pub file");
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pem.content()));
            return new VerifyingKey(key);
        } catch (GeneralSecurityException e) {
            throw new BerthException("KEY_INVALID", what + " does not hold an ECDSA public key");
        }
    }

    /** The public half of {@code privateKey}, computed since PKCS#8 need not carry it. */
    static VerifyingKey derivedFrom(ECPrivateKey privateKey) throws GeneralSecurityException {
        ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        ECPoint point = curve.getG().multiply(privateKey.getS()).normalize();
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(point.getAffineXCoord().toBigInteger(),
                point.getAffineYCoord().toBigInteger());
        return new VerifyingKey(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, privateKey.getParams())));
    }

    public String pem() {
        return new Pem(PEM_TYPE, key.getEncoded()).encode();
    }

    /** The SHA-256 of the key's DER form: a name for the key that does not depend on its file. */
    public Digest fingerprint() {
        return Digest.of(key.getEncoded());
    }

    /** Whether {@code signature} (ASN.1 DER ECDSA) signs the SHA-256 of {@code content} with this key. */
    public boolean verifies(byte[] content, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(signature);
        } catch (java.security.SignatureException malformed) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("verifying with an EC key failed", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyingKey that && Arrays.equals(key.getEncoded(), that.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key.getEncoded());
    }
}
