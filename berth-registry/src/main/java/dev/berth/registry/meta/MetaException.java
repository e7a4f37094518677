package dev.berth.registry.meta;

import dev.berth.oci.BerthException;

/** The metadata database failed; the request cannot be decided and is refused. */
public final class MetaException extends BerthException {
    public MetaException(java.sql.SQLException cause) {
        super("META_UNAVAILABLE", "the metadata database failed: " + cause.getMessage(), cause);
    }
}
