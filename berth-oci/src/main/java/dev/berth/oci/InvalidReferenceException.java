package dev.berth.oci;

/** An image reference or repository name that does not follow the naming rules. */
public final class InvalidReferenceException extends BerthException {
    public InvalidReferenceException(String reference, String reason) {
        super("INVALID_REFERENCE", "invalid image reference \"" + reference + "\": " + reason);
    }
}
