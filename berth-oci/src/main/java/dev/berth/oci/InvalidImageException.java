package dev.berth.oci;

/** A manifest, index, config, layout or archive that is malformed or incomplete. */
public final class InvalidImageException extends BerthException {
    public InvalidImageException(String message) {
        super("IMAGE_INVALID", message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super("IMAGE_INVALID", message, cause);
    }
}
