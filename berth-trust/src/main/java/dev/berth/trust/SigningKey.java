package dev.berth.trust;

import dev.berth.oci.BerthException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

/** A private ECDSA P-256 key that signs with SHA-256, as cosign's generated keys do. */
public final class SigningKey {
    private static final String PKCS8_PEM_TYPE = "PRIVATE KEY";
    private final PrivateKey privateKey;
    private final VerifyingKey publicKey;

    private SigningKey(PrivateKey privateKey, VerifyingKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(pair.getPrivate(), VerifyingKey.of(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }

    /** Opens a cosign encrypted key file. */
    public static SigningKey open(byte[] fileBytes, char[] password, String what) {
        byte[] pkcs8 = EncryptedKeyFile.open(fileBytes, password, what);
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new SigningKey(key, VerifyingKey.derivedFrom((ECPrivateKey) key));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new BerthException("KEY_INVALID", what + " does not hold an ECDSA private key: berth signs with P-256 keys");
        }
    }

    /**
     * A key that a service keeps for itself in a file only it reads (PKCS#8 {@code PRIVATE KEY} PEM,
     * unencrypted: there is nobody to type a password).
     */
    public static SigningKey fromPkcs8Pem(byte[] fileBytes, String what) {
        Pem pem = Pem.decode(fileBytes, what);
        if (!PKCS8_PEM_TYPE.equals(pem.type())) {
            throw new BerthException("KEY_INVALID", what + " is a " + pem.type() + ", not a " + PKCS8_PEM_TYPE);
        }
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem.content()));
            return new SigningKey(key, VerifyingKey.derivedFrom((ECPrivateKey) key));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new BerthException("KEY_INVALID", what + " does not hold an ECDSA private key");
        }
    }

    /** The key as {@link #fromPkcs8Pem} reads it. */
    public String pkcs8Pem() {
        return new Pem(PKCS8_PEM_TYPE, privateKey.getEncoded()).encode();
    }

    /** The cosign encrypted key file for this key. */
    public String encrypted(char[] password) {
        return EncryptedKeyFile.seal(privateKey.getEncoded(), password);
    }

    public VerifyingKey publicKey() {
        return publicKey;
    }

    /** An ASN.1 DER ECDSA signature over the SHA-256 of {@code content}. */
    public byte[] sign(byte[] content) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(privateKey);
            signature.update(content);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with an EC key failed", e);
        }
    }
}
