package dev.berth.cli.commands;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.oci.PrivateDirectory;
import dev.berth.oci.store.LocalStore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
     * The user's config directory, or BERTH_CONFIG's file. A missing directory is created (0700)
     * so that it can be bound read-only: otherwise a container could create it, and the config
     * berth reads next.
     */
    private static Path userConfig(Map<String, String> environment) throws IOException {
        Path file = BerthConfig.candidates(environment).getFirst();
        boolean explicit = environment.get("BERTH_CONFIG") != null && !environment.get("BERTH_CONFIG").isBlank();
        if (explicit) {
            return file;
        }
        Path directory = file.getParent();
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            PrivateDirectory.createOrFollow(directory, "berth's config directory");
        }
        return directory;
    }
}
