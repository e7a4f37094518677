package dev.berth.registry.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The P-256 key that signs registry tokens, kept as a JWK in a file only the registry's user can
 * read, so tokens survive a restart. Its {@code kid} is the key's RFC 7638 thumbprint.
 */
public final class TokenKey {
    private TokenKey() {
    }

    public static ECKey loadOrCreate(Path file) throws IOException {
        try {
            return ECKey.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return create(file);
        } catch (ParseException e) {
            throw new BerthException("CONFIG_INVALID", "token signing key " + file + " is not a JWK: " + e.getMessage()
                    + "; remove it to make a new one (tokens already issued then stop working)");
        }
    }

    private static ECKey create(Path file) throws IOException {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return key;
    }
}
