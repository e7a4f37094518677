package dev.berth.runtime;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where converted images live, keyed by manifest digest: the user's own cache (private, 0700)
 * and optionally a site's shared cache that users read but cannot write. The shared cache is
 * consulted first so a node never converts what the site already provides.
 */
public final class ImageCache {
    public static final String SHARED_CACHE_VARIABLE = "BERTH_SHARED_CACHE";
    public static final String CACHE_VARIABLE = "BERTH_CACHE_DIR";

    private final Path userDirectory;
    private final Optional<Path> sharedDirectory;

    public ImageCache(Path userDirectory, Optional<Path> sharedDirectory) {
        this.userDirectory = userDirectory.toAbsolutePath();
        this.sharedDirectory = sharedDirectory.map(Path::toAbsolutePath);
    }

    /** $BERTH_CACHE_DIR, else $XDG_CACHE_HOME/berth, else ~/.cache/berth; the shared one from $BERTH_SHARED_CACHE. */
    public static ImageCache fromEnvironment(Map<String, String> environment, Path home, Path sharedOverride) {
        Path user;
        if (isSet(environment.get(CACHE_VARIABLE))) {
            user = Path.of(environment.get(CACHE_VARIABLE));
        } else if (isSet(environment.get("XDG_CACHE_HOME")) && Path.of(environment.get("XDG_CACHE_HOME")).isAbsolute()) {
            user = Path.of(environment.get("XDG_CACHE_HOME"), "berth");
        } else {
            user = home.resolve(".cache").resolve("berth");
        }
        Optional<Path> shared = Optional.ofNullable(sharedOverride)
                .or(() -> Optional.ofNullable(environment.get(SHARED_CACHE_VARIABLE)).filter(ImageCache::isSet).map(Path::of));
        return new ImageCache(user, shared);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    public Path userDirectory() {
        return userDirectory;
    }

    /** The converted image for {@code manifest}, from the shared cache or the user's, if either has it. */
    public Optional<Path> find(Digest manifest) {
        String name = fileName(manifest);
        Optional<Path> shared = sharedDirectory.map(dir -> dir.resolve("images").resolve(name))
                .filter(path -> Files.isRegularFile(path) && Files.isReadable(path));
        return shared.or(() -> Optional.of(userDirectory.resolve("images").resolve(name)).filter(Files::isRegularFile));
    }

    /** Where a new conversion of {@code manifest} goes; creates the private directories on the way. */
    public Path userImagePath(Digest manifest) throws IOException {
        return privateDirectory("images").resolve(fileName(manifest));
    }

    /** The directory for extracted (sandbox-mode) trees. */
    public Path sandboxes() throws IOException {
        return privateDirectory("sandboxes");
    }

    private Path privateDirectory(String child) throws IOException {
        long uid = new UnixSystem().getUid();
        PrivateDirectory.create(userDirectory, uid);
        return PrivateDirectory.create(userDirectory.resolve(child), uid);
    }

    /** Part of every file name, so that a berth that lays images out differently never reads an older one. */
    static final String FORMAT = "v2";

    static String fileName(Digest manifest) {
        return manifest.algorithm().id() + "-" + manifest.hex() + "." + FORMAT + ".sqfs";
    }
}
