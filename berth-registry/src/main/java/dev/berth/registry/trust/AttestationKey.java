package dev.berth.registry.trust;

import dev.berth.oci.BerthException;
import dev.berth.registry.SecretFile;
import dev.berth.trust.SigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The registry's own P-256 key, which signs the push attestations it records: made at the first
 * start with accounts, kept in the registry root readable only by its user. Its public half is
 * served at {@code /berth/v1/attestation-key} for verifiers.
 */
public final class AttestationKey {
    public static final String FILE_NAME = "attestation-key.pem";

    private AttestationKey() {
    }

    public static SigningKey loadOrCreate(Path root) throws IOException {
        Path file = root.resolve(FILE_NAME);
        try {
            return SigningKey.fromPkcs8Pem(Files.readAllBytes(file), "attestation key " + file);
        } catch (NoSuchFileException e) {
            SigningKey key = SigningKey.generate();
            SecretFile.write(file, key.pkcs8Pem());
            return key;
        } catch (BerthException e) {
            throw new BerthException("CONFIG_INVALID", e.getMessage() + "; remove it to make a new one (attestations"
                    + " already recorded then verify only with the old public key)");
        }
    }
}
