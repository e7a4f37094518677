package dev.berth.runtime;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.PrivateDirectory;
import dev.berth.oci.ScratchDirectory;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.flatten.SquashfsWriter;
import dev.berth.runtime.integrity.ContentRecord;
import dev.berth.runtime.integrity.SharedCacheTrust;
import dev.berth.runtime.integrity.VerifiedFiles;
import dev.berth.runtime.site.SiteConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where converted images live, keyed by manifest digest: the user's own cache (private, 0700)
 * and optionally a site's shared cache that users read but cannot write. The shared cache is
 * consulted first so a node never converts what the site already provides. A file is used only
 * while its content is the one its conversion recorded; a shared one also only while nobody but
 * the cache's owner and root can change it.
 */
public final class ImageCache {
    public static final String SHARED_CACHE_VARIABLE = "BERTH_SHARED_CACHE";
    public static final String CACHE_VARIABLE = "BERTH_CACHE_DIR";

    private final Path userDirectory;
    private final Optional<Path> sharedDirectory;
    private final Consumer<String> notices;
    private final long uid = new UnixSystem().getUid();
    /** Shared files found untrustworthy once: a run asks several times, and says why only once. */
    private final Set<Path> rejectedShared = new HashSet<>();

    /** @param notices where to say, in one line, why a cached file was not used */
    public ImageCache(Path userDirectory, Optional<Path> sharedDirectory, Consumer<String> notices) {
        this.userDirectory = userDirectory.toAbsolutePath();
        this.sharedDirectory = sharedDirectory.map(Path::toAbsolutePath);
        this.notices = notices;
    }

    /**
     * The user's cache: $BERTH_CACHE_DIR, else a directory of the user's own (named by uid) in the
     * site's node-local directory for prepared images, else $XDG_CACHE_HOME/berth, else
     * ~/.cache/berth. The site's directory wins over XDG_CACHE_HOME, which is set for every
     * program and often lies in a home directory on a shared file system, where every start would
     * read the extracted tree over the network; BERTH_CACHE_DIR is a choice about berth alone.
     * The shared cache: {@code sharedOverride} (--shared-cache), else $BERTH_SHARED_CACHE, else the site's.
     */
    public static ImageCache fromEnvironment(Map<String, String> environment, Path home, Path sharedOverride, SiteConfig site,
                                             Consumer<String> notices) {
        Path user;
        if (isSet(environment.get(CACHE_VARIABLE))) {
            user = Path.of(environment.get(CACHE_VARIABLE));
        } else if (site.preparedDirectory().isPresent()) {
            user = siteDirectory(site).resolve(Long.toString(new UnixSystem().getUid()));
        } else if (isSet(environment.get("XDG_CACHE_HOME")) && Path.of(environment.get("XDG_CACHE_HOME")).isAbsolute()) {
            user = Path.of(environment.get("XDG_CACHE_HOME"), "berth");
        } else {
            user = home.resolve(".cache").resolve("berth");
        }
        Optional<Path> shared = Optional.ofNullable(sharedOverride)
                .or(() -> Optional.ofNullable(environment.get(SHARED_CACHE_VARIABLE)).filter(ImageCache::isSet).map(Path::of))
                .or(site::sharedCache);
        return new ImageCache(user, shared, notices);
    }

    /** The site's node-local directory, which the admin makes (berth could not: it is outside the user's own). */
    private static Path siteDirectory(SiteConfig site) {
        Path directory = site.preparedDirectory().orElseThrow();
        if (!Files.isDirectory(directory)) {
            throw new BerthException("CACHE_MISSING", "the node-local directory for prepared images " + directory
                    + " ([cache] prepared in the site configuration " + site.file() + ") is not on this node;"
                    + " ask the admins, or name another with BERTH_CACHE_DIR");
        }
        return directory;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    public Path userDirectory() {
        return userDirectory;
    }

    public Optional<Path> sharedDirectory() {
        return sharedDirectory;
    }

    /** Says in one line why something cached was not used. */
    void report(String line) {
        notices.accept(line);
    }

    /**
     * The converted image for {@code manifest}, from the shared cache or the user's, if either has
     * a trustworthy one. A file of the user's whose content changed since its conversion is removed.
     */
    public Optional<Path> find(Digest manifest) throws IOException {
        String name = fileName(manifest);
        if (sharedDirectory.isPresent()) {
            Path shared = sharedDirectory.get().resolve("images").resolve(name);
            if (!rejectedShared.contains(shared) && Files.exists(shared, LinkOption.NOFOLLOW_LINKS)) {
                Optional<String> problem = sharedProblem(sharedDirectory.get(), shared);
                if (problem.isEmpty()) {
                    return Optional.of(shared);
                }
                rejectedShared.add(shared);
                report("not using " + shared + " from the shared cache: " + problem.get()
                        + "; preparing the image privately");
            }
        }
        Path own = userDirectory.resolve("images").resolve(name);
        if (!Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        // a conversion killed after its image was in place leaves its scratch, and no later run converts again
        ScratchDirectory.removeAbandoned(own.getParent());
        Optional<Digest> recorded = ContentRecord.read(own);
        if (recorded.isPresent() && verified().holds(own, recorded.get())) {
            return Optional.of(own);
        }
        report("the converted image " + own + " is not what berth wrote (changed since, or from an older berth);"
                + " converting it again");
        Files.deleteIfExists(own);
        return Optional.empty();
    }

    private Optional<String> sharedProblem(Path root, Path file) throws IOException {
        Optional<String> problem = SharedCacheTrust.problem(root, file);
        if (problem.isPresent()) {
            return problem;
        }
        if (!Files.isReadable(file)) {
            return Optional.of("you cannot read it");
        }
        Optional<Digest> recorded = ContentRecord.read(file);
        if (recorded.isEmpty()) {
            return Optional.of("its digest record " + ContentRecord.of(file).getFileName() + " is missing or damaged");
        }
        if (!verified().holds(file, recorded.get())) {
            return Optional.of("its content is not the one its digest record names");
        }
        return Optional.empty();
    }

    /**
     * Converts {@code manifest} with {@code conversion} into the user's cache, one process at a
     * time (a second waits and then uses the first one's file), recording the content first.
     */
    public Path convert(Digest manifest, Conversion conversion) throws IOException {
        Path target = privateDirectory("images").resolve(fileName(manifest));
        try (FileChannel lock = FileChannel.open(target.resolveSibling(target.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            Optional<Path> done = find(manifest);
            if (done.isPresent()) {
                return done.get();
            }
            Digest[] content = new Digest[1];
            conversion.writeTo(target, written -> {
                content[0] = ContentRecord.hash(written);
                ContentRecord.write(target, content[0], written.getParent());
            });
            verified().remember(target, content[0]);
            return target;
        }
    }

    /** Writes an image file to {@code target}, calling {@code beforePublish} with the finished file before renaming it there. */
    @FunctionalInterface
    public interface Conversion {
        void writeTo(Path target, SquashfsWriter.BeforePublish beforePublish) throws IOException;
    }

    /** Converted images are named after their manifest digest; other formats' files are listed too, so they can be pruned. */
    private static final Pattern CONVERTED = Pattern.compile("(sha256|sha512)-[0-9a-f]+\\.v[0-9]+\\.sqfs");
    /** Trees are named as their conversion, or after the image file they were extracted from. */
    private static final Pattern PREPARED = Pattern.compile("(sha256|sha512)-[0-9a-f]+\\.v[0-9]+|file-[0-9a-f]{32}");
    private static final Pattern MANIFEST = Pattern.compile("(sha256|sha512)-([0-9a-f]+)\\.v[0-9]+.*");

    /** The user's converted image files, for listing and pruning. */
    public CacheShelf conversions() {
        return new CacheShelf(userDirectory.resolve("images"), name -> CONVERTED.matcher(name).matches());
    }

    /** The user's prepared (extracted) trees, for listing and pruning. */
    public CacheShelf preparedTrees() {
        return new CacheShelf(userDirectory.resolve("sandboxes"), name -> PREPARED.matcher(name).matches());
    }

    /** The manifest digest an entry of {@link #conversions()} or {@link #preparedTrees()} was made from; empty for an image file's tree. */
    public static Optional<Digest> manifestOf(String entryName) {
        Matcher matcher = MANIFEST.matcher(entryName);
        return matcher.matches() ? Optional.of(Digest.parse(matcher.group(1) + ":" + matcher.group(2))) : Optional.empty();
    }

    /** The directory for extracted (sandbox-mode) trees. */
    public Path sandboxes() throws IOException {
        return privateDirectory("sandboxes");
    }

    private VerifiedFiles verified() {
        return new VerifiedFiles(userDirectory.resolve("verified"), uid);
    }

    private Path privateDirectory(String child) throws IOException {
        PrivateDirectory.create(userDirectory, uid);
        return PrivateDirectory.create(userDirectory.resolve(child), uid);
    }

    /** Part of every file name, so that a berth that lays images out differently never reads an older one. */
    static final String FORMAT = "v2";

    static String fileName(Digest manifest) {
        return manifest.algorithm().id() + "-" + manifest.hex() + "." + FORMAT + ".sqfs";
    }
}
