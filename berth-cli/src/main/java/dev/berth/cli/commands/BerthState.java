package dev.berth.cli.commands;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.store.LocalStore;

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
     * The user's config directory, or BERTH_CONFIG's file. A directory that does not exist yet is
     * not created here (a short command must leave nothing in HOME), so it stays unprotected.
     */
    private static Path userConfig(Map<String, String> environment) {
        Path file = BerthConfig.candidates(environment).getFirst();
        boolean explicit = environment.get("BERTH_CONFIG") != null && !environment.get("BERTH_CONFIG").isBlank();
        return explicit ? file : file.getParent();
    }
}
