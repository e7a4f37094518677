package dev.berth.runtime.sandbox;

import com.sun.security.auth.module.UnixSystem;

import java.nio.file.Path;
import java.util.Map;

/** The user running berth: who the container runs as. */
public record Caller(long uid, long gid, String userName, Path home) {
    public static Caller current(Map<String, String> environment) {
        UnixSystem system = new UnixSystem();
        String home = environment.get("HOME");
        return new Caller(system.getUid(), system.getGid(), system.getUsername(),
                Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home).toAbsolutePath().normalize());
    }
}
