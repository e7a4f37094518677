package dev.berth.registry;

import dev.berth.oci.BerthException;

/** A request the registry refuses: carries the spec's error code and the HTTP status to answer with. */
public final class RegistryException extends BerthException {
    private final ErrorCode errorCode;
    private final int status;

    public RegistryException(ErrorCode errorCode, String message) {
        this(errorCode, errorCode.status(), message);
    }

    public RegistryException(ErrorCode errorCode, int status, String message) {
        super(errorCode.name(), message);
        this.errorCode = errorCode;
        this.status = status;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public int status() {
        return status;
    }

    /** The 416 answer for a chunk that does not continue where the upload stands. */
    public static RegistryException rangeNotSatisfiable(String message) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416, message);
    }
}
