package dev.berth.cli.commands;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.PrivateDirectory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * berth's own files outside the image cache, which a container must not change: the store, the
 * user's config and the installation (launcher, jars, JDK). The runtime adds its caches and
 * run directories.
 */
final class BerthState {
    private BerthState() {
    }

    static List<Path> of(LocalStore store, Map<String, String> environment) throws IOException {
        List<Path> state = new ArrayList<>(List.of(store.root()));
        state.add(userConfig(environment));
        String launcher = System.getProperty("berth.launcher");
        if (launcher != null) {
            state.add(Path.of(launcher));
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path element = Path.of(entry).toAbsolutePath();
            state.add(Files.isDirectory(element) ? element : element.getParent());
        }
        state.add(Path.of(System.getProperty("java.home")));
        return state;
    }

    /**
     * The user's config directory, created (0700) when missing: were it absent, a container could
     * create the config file the next berth command reads.
     */
    private static Path userConfig(Map<String, String> environment) throws IOException {
        Path file = BerthConfig.candidates(environment).getFirst();
        if (environment.get("BERTH_CONFIG") != null && !environment.get("BERTH_CONFIG").isBlank()) {
            return file;
        }
        Path dir = file.getParent();
        if (!Files.exists(dir)) {
            PrivateDirectory.create(dir, new UnixSystem().getUid());
        }
        return dir;
    }
}
