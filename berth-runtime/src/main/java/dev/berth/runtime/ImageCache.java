package dev.berth.runtime;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.AtomicFiles;
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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where converted images live: each root file system once, named after its layer chain, with the
 * metadata of every manifest that has it beside it; in the user's own cache (private, 0700)
 * and optionally in a site's shared cache that users read but cannot write. The shared cache is
 * consulted first so a node never converts what the site already provides. A file is used only
 * while its content is the one its conversion recorded; a shared one also only while nobody but
 * the cache's owner and root can change it.
 */
public final class ImageCache {
    public static final String SHARED_CACHE_VARIABLE = "BERTH_SHARED_CACHE";
    public static final String CACHE_VARIABLE = "BERTH_CACHE_DIR";
    /** Part of every file name, so that a berth that lays images out differently never reads an older one. */
    static final String FORMAT = "v3";
    private static final String RUNTIME_SUFFIX = ".runtime";
    private static final String CONFIG_SUFFIX = ".json";

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
     * a trustworthy one. A root file system of the user's whose content changed since its
     * conversion is removed.
     */
    public Optional<ImageFile> find(Digest manifest) throws IOException {
        if (sharedDirectory.isPresent()) {
            Optional<ImageFile> shared = entryOf(sharedDirectory.get().resolve("images"), manifest);
            if (shared.isPresent() && !rejectedShared.contains(shared.get().path())) {
                Optional<String> problem = sharedProblem(sharedDirectory.get(), shared.get());
                if (problem.isEmpty()) {
                    return shared;
                }
                rejectedShared.add(shared.get().path());
                report("not using " + shared.get().path() + " from the shared cache: " + problem.get()
                        + "; preparing the image privately");
            }
        }
        Optional<ImageFile> own = entryOf(userDirectory.resolve("images"), manifest);
        return own.isPresent() && intact(own.get().path()) ? own : Optional.empty();
    }

    /**
     * The root file system and metadata files that {@code directory} has for {@code manifest}:
     * found by the name of the metadata, which the manifest's root file system does not tell.
     */
    private static Optional<ImageFile> entryOf(Path directory, Digest manifest) throws IOException {
        String suffix = "." + manifestName(manifest) + RUNTIME_SUFFIX;
        try (DirectoryStream<Path> runtimes = Files.newDirectoryStream(directory, "chain-*" + suffix)) {
            for (Path runtime : runtimes) {
                String name = runtime.getFileName().toString();
                Path rootFileSystem = directory.resolve(name.substring(0, name.length() - suffix.length()));
                // a link is found too, so that the shared cache's checks can say why it is not used
                if (CONVERTED.matcher(rootFileSystem.getFileName().toString()).matches()
                        && Files.exists(rootFileSystem, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(new ImageFile(rootFileSystem, 0, Optional.of(cacheFiles(rootFileSystem, manifest))));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException nothingConvertedYet) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static ImageMetadata.CacheFiles cacheFiles(Path rootFileSystem, Digest manifest) {
        String prefix = rootFileSystem.getFileName() + "." + manifestName(manifest);
        return new ImageMetadata.CacheFiles(rootFileSystem.resolveSibling(prefix + RUNTIME_SUFFIX),
                rootFileSystem.resolveSibling(prefix + CONFIG_SUFFIX));
    }

    /** Whether a root file system of the user's holds what its conversion recorded; removed when it does not. */
    private boolean intact(Path rootFileSystem) throws IOException {
        if (!Files.isRegularFile(rootFileSystem, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        // a conversion killed after its image was in place leaves its scratch, and no later run converts again
        ScratchDirectory.removeAbandoned(rootFileSystem.getParent());
        Optional<Digest> recorded = ContentRecord.read(rootFileSystem);
        if (recorded.isPresent() && verified().holds(rootFileSystem, recorded.get())) {
            return true;
        }
        report("the converted image " + rootFileSystem + " is not what berth wrote (changed since, or from an older berth);"
                + " converting it again");
        Files.deleteIfExists(rootFileSystem);
        return false;
    }

    private Optional<String> sharedProblem(Path root, ImageFile entry) throws IOException {
        Path file = entry.path();
        ImageMetadata.CacheFiles metadata = entry.cacheFiles().orElseThrow();
        for (Path each : List.of(file, metadata.runtime(), metadata.config())) {
            Optional<String> problem = SharedCacheTrust.problem(root, each);
            if (problem.isPresent()) {
                return problem;
            }
            if (!Files.isReadable(each)) {
                return Optional.of("you cannot read " + each.getFileName());
            }
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
     * The converted image of {@code manifest}, whose layers make the root file system
     * {@code chain}: converted with {@code conversion} into the user's cache unless a conversion
     * of another manifest made it already, then given {@code metadata}. One process at a time
     * converts a root file system (a second waits and then uses the first one's file); its
     * content is recorded before it is in place, and the metadata written after it.
     */
    public ImageFile convert(Digest manifest, Digest chain, Conversion conversion, Metadata metadata) throws IOException {
        Path target = privateDirectory("images").resolve(chainName(chain) + ".sqfs");
        try (FileChannel lock = FileChannel.open(target.resolveSibling(target.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            Optional<ImageFile> done = find(manifest);
            if (done.isPresent()) {
                return done.get();
            }
            if (!intact(target)) {
                Digest[] content = new Digest[1];
                conversion.writeTo(target, written -> {
                    content[0] = ContentRecord.hash(written);
                    ContentRecord.write(target, content[0], written.getParent());
                });
                verified().remember(target, content[0]);
            }
            ImageMetadata.CacheFiles files = cacheFiles(target, manifest);
            // the temporaries in a scratch directory, which a later run sweeps if this one is killed;
            // the runtime records last: they are what find looks for
            try (ScratchDirectory scratch = ScratchDirectory.create(target.getParent(), "metadata")) {
                AtomicFiles.write(files.config(), metadata.config(), scratch.path());
                AtomicFiles.write(files.runtime(), metadata.runtime(), scratch.path());
            }
            return new ImageFile(target, 0, Optional.of(files));
        }
    }

    /** Writes an image file to {@code target}, calling {@code beforePublish} with the finished file before renaming it there. */
    @FunctionalInterface
    public interface Conversion {
        void writeTo(Path target, SquashfsWriter.BeforePublish beforePublish) throws IOException;
    }

    /** A manifest's metadata as the cache keeps it: {@link ImageMetadata#runtimeRecords()} and {@link ImageMetadata#configJson}. */
    public record Metadata(byte[] runtime, byte[] config) {
    }

    /**
     * Converted root file systems are named after their layer chain; other formats' files are
     * listed too (once named by manifest), so they can be pruned.
     */
    private static final Pattern CONVERTED = Pattern.compile("(chain-)?(sha256|sha512)-[0-9a-f]+\\.v[0-9]+\\.sqfs");
    /** Trees are named as their conversion, or after the image file they were extracted from. */
    private static final Pattern PREPARED = Pattern.compile("(chain-)?(sha256|sha512)-[0-9a-f]+\\.v[0-9]+|file-[0-9a-f]{32}");
    private static final Pattern OLD_MANIFEST_KEYED = Pattern.compile("(sha256|sha512)-([0-9a-f]+)\\.v[0-9]+.*");
    private static final Pattern CHAIN_KEYED = Pattern.compile("(chain-(?:sha256|sha512)-[0-9a-f]+\\.v[0-9]+).*");
    private static final Pattern MANIFEST_OF_METADATA = Pattern.compile("\\.(sha256|sha512)-([0-9a-f]+)" + Pattern.quote(RUNTIME_SUFFIX));

    /** The user's converted image files, for listing and pruning. */
    public CacheShelf conversions() {
        return new CacheShelf(userDirectory.resolve("images"), name -> CONVERTED.matcher(name).matches());
    }

    /** The user's prepared (extracted) trees, for listing and pruning. */
    public CacheShelf preparedTrees() {
        return new CacheShelf(userDirectory.resolve("sandboxes"), name -> PREPARED.matcher(name).matches());
    }

    /**
     * The manifests that an entry of {@link #conversions()} or {@link #preparedTrees()} serves:
     * those whose metadata the user's cache keeps beside its root file system (none once that
     * file is gone); empty for an image file's tree, which cannot tell.
     */
    public Optional<Set<Digest>> manifestsOf(String entryName) throws IOException {
        Matcher chain = CHAIN_KEYED.matcher(entryName);
        if (chain.matches()) {
            Set<Digest> manifests = new HashSet<>();
            String prefix = chain.group(1) + ".sqfs";
            try (DirectoryStream<Path> runtimes = Files.newDirectoryStream(userDirectory.resolve("images"),
                    prefix + ".*" + RUNTIME_SUFFIX)) {
                for (Path runtime : runtimes) {
                    Matcher manifest = MANIFEST_OF_METADATA.matcher(runtime.getFileName().toString().substring(prefix.length()));
                    if (manifest.matches()) {
                        manifests.add(Digest.parse(manifest.group(1) + ":" + manifest.group(2)));
                    }
                }
            } catch (NoSuchFileException noConversions) {
                // a tree whose conversion was pruned serves nothing
            }
            return Optional.of(manifests);
        }
        Matcher old = OLD_MANIFEST_KEYED.matcher(entryName);
        return old.matches() ? Optional.of(Set.of(Digest.parse(old.group(1) + ":" + old.group(2)))) : Optional.empty();
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


    /** What a converted root file system is named after, without its extension; so is the tree extracted from it. */
    static String chainName(Digest chain) {
        return "chain-" + chain.algorithm().id() + "-" + chain.hex() + "." + FORMAT;
    }

    private static String manifestName(Digest manifest) {
        return manifest.algorithm().id() + "-" + manifest.hex();
    }
}
