package dev.berth.runtime.sandbox;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.HomeDirectory;

import java.nio.file.Path;
import java.util.Map;

/** The user running berth: who the container runs as. */
public record Caller(long uid, long gid, String userName, Path home) {
    public static Caller current(Map<String, String> environment) {
        UnixSystem system = new UnixSystem();
        return new Caller(system.getUid(), system.getGid(), system.getUsername(), HomeDirectory.of(environment));
    }
}
