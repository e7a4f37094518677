package dev.berth.oci;

import java.nio.file.Path;
import java.util.Map;

/**
 * The caller's home directory as Docker, Podman and Apptainer take it: {@code $HOME} when it
 * names an absolute path, else the account's (the JVM's {@code user.home}, from the user database).
 * A script that sets {@code HOME=/scratch/me} finds berth's credentials, config and caches there.
 */
public final class HomeDirectory {
    private HomeDirectory() {
    }

    public static Path of(Map<String, String> environment) {
        String home = environment.get("HOME");
        if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
            return Path.of(home).normalize();
        }
        return Path.of(System.getProperty("user.home"));
    }
}
