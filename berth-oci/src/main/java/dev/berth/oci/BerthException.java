package dev.berth.oci;

/**
 * An error a user can meet. Every instance carries a stable {@link #code()} that scripts and
 * tests can rely on, and a message that reads as one line: what failed, for what, and what to
 * do about it.
 */
public class BerthException extends RuntimeException {
    private final String code;

    public BerthException(String code, String message) {
        super(message);
        this.code = code;
    }

    public BerthException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable, upper-case identifier such as {@code DIGEST_INVALID}. */
    public String code() {
        return code;
    }
}
