package dev.berth.oci.transfer;

import dev.berth.oci.Platform;

/** Which images of an index a copy takes: all of them, or the one for a platform. */
public record PlatformChoice(Platform platform) {
    public static final PlatformChoice ALL = new PlatformChoice(null);

    public static PlatformChoice only(Platform platform) {
        return new PlatformChoice(platform);
    }

    public static PlatformChoice host() {
        return only(Platform.host());
    }

    public boolean all() {
        return platform == null;
    }
}
