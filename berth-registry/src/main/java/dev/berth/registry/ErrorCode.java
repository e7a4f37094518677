package dev.berth.registry;

/** The error codes of the distribution-spec, each with the HTTP status berth answers it with by default. */
public enum ErrorCode {
    BLOB_UNKNOWN(404),
    BLOB_UPLOAD_INVALID(400),
    BLOB_UPLOAD_UNKNOWN(404),
    DIGEST_INVALID(400),
    MANIFEST_BLOB_UNKNOWN(400),
    MANIFEST_INVALID(400),
    MANIFEST_UNKNOWN(404),
    NAME_INVALID(400),
    NAME_UNKNOWN(404),
    SIZE_INVALID(400),
    UNAUTHORIZED(401),
    DENIED(403),
    UNSUPPORTED(405),
    TOOMANYREQUESTS(429),
    /** Not in the OCI list: CNCF distribution's code for an invalid {@code n}, which Docker-era clients know. */
    PAGINATION_NUMBER_INVALID(400),
    /** Not in the OCI list: the registry cannot decide the request now (its metadata database failed); retry later. */
    UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
