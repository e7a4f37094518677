package dev.berth.oci;

/** Content whose bytes do not hash to the digest (or size) it was announced with. */
public final class DigestMismatchException extends BerthException {
    public DigestMismatchException(String what, Digest expected, Digest actual) {
        super("DIGEST_INVALID", what + ": content does not match its digest: expected " + expected + ", got " + actual);
    }

    public DigestMismatchException(String what, Digest expected, long expectedSize, long actualSize) {
        super("SIZE_INVALID", what + ": content of " + expected + " is " + actualSize
                + " bytes, but its descriptor says " + expectedSize);
    }
}
