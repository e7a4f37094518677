package dev.berth.cli;

import dev.berth.oci.HomeDirectory;

import java.nio.file.Path;
import java.util.Map;

/** Where berth keeps its data, by the precedence DESIGN.md sets: flag, environment, XDG default. */
public final class DataDirectory {
    private DataDirectory() {
    }

    public static Path resolve(Path flag, Map<String, String> environment) {
        if (flag != null) {
            return flag.toAbsolutePath();
        }
        String explicit = environment.get("BERTH_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = environment.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "berth");
        }
        return HomeDirectory.of(environment).resolve(".local/share/berth");
    }
}
