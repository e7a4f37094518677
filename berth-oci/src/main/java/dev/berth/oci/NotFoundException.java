package dev.berth.oci;

/** An image, tag or blob that is not where it was looked for. */
public final class NotFoundException extends BerthException {
    public NotFoundException(String message) {
        super("NOT_FOUND", message);
    }
}
