package dev.berth.distribution;

import dev.berth.oci.BerthException;

/**
 * A registry that answered with an error, refused access, or could not be reached. The code is
 * stable ({@code UNAUTHORIZED}, {@code DENIED}, {@code REGISTRY_UNAVAILABLE}, the registry's own
 * OCI error code, ...); the message never holds a credential or token.
 */
public final class RegistryException extends BerthException {
    public RegistryException(String code, String message) {
        super(code, message);
    }

    public RegistryException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
