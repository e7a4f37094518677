package dev.berth.registry.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.berth.oci.BerthException;
import dev.berth.registry.SecretFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The 256-bit secret that signs registry tokens (HS256), kept as a JWK in a file only the
 * registry's user can read, so tokens survive a restart. A secret rather than a key pair because
 * the registry is the only party that ever checks its tokens (clients pass them on unread), and
 * an HMAC costs a microsecond where a P-256 signature costs hundreds.
 */
public final class TokenKey {
    public static final String FILE_NAME = "token-secret.jwk";
    private static final int BITS = 256;

    private TokenKey() {
    }

    public static OctetSequenceKey loadOrCreate(Path file) throws IOException {
        OctetSequenceKey key;
        try {
            key = OctetSequenceKey.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return create(file);
        } catch (ParseException e) {
            throw invalid(file, "is not a JWK: " + e.getMessage());
        }
        if (key.size() < BITS) {
            throw invalid(file, "holds a " + key.size() + "-bit secret, fewer than " + BITS);
        }
        return key;
    }

    private static BerthException invalid(Path file, String problem) {
        return new BerthException("CONFIG_INVALID", "token signing secret " + file + " " + problem
                + "; remove it to make a new one (tokens already issued then stop working)");
    }

    private static OctetSequenceKey create(Path file) throws IOException {
        OctetSequenceKey key;
        try {
            key = new OctetSequenceKeyGenerator(BITS).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a token secret", e);
        }
        SecretFile.write(file, key.toJSONString());
        return key;
    }
}
