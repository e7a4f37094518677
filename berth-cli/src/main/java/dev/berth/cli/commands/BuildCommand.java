package dev.berth.cli.commands;

import dev.berth.build.BaseImages;
import dev.berth.build.BuildCacheLimit;
import dev.berth.build.BuildRequest;
import dev.berth.build.Builder;
import dev.berth.build.Downloads;
import dev.berth.build.Rebuild;
import dev.berth.build.provenance.BuildProvenance;
import dev.berth.build.provenance.ImageDifference;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.cli.commands.trust.AcceptedKeys;
import dev.berth.cli.commands.trust.BuildAttestations;
import dev.berth.distribution.Registries;
import dev.berth.distribution.WebDownload;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.http.Response;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.BerthException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageResolver;
import dev.berth.trust.InTotoStatement;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code berth build}: an image from a Dockerfile, built as the calling user, into the local store. */
public final class BuildCommand extends ContainerCommand {
    private static final String EPOCH_VARIABLE = "SOURCE_DATE_EPOCH";

    private final List<Reference> tags = new ArrayList<>();
    private final Map<String, String> buildArguments = new LinkedHashMap<>();
    private Path recipe;
    private String target;
    private String network = "host";
    private String sourceDateEpoch;
    private boolean noCache;
    private boolean push;
    private ImageLocation output;
    private Path signingKey;
    private String verify;
    private final AcceptedKeys provenanceKeys = new AcceptedKeys();
    private final RegistryFlags registryFlags = new RegistryFlags();
    private final BuildSecretFlags secretFlags = new BuildSecretFlags();
    private Path context;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Build an image from a Dockerfile (or Containerfile) without root or a daemon.",
                        "RUN steps run in a sandbox as root of a user namespace; each RUN, COPY, ADD and WORKDIR that changes",
                        "files adds a layer. With SOURCE_DATE_EPOCH (or --source-date-epoch) a rebuild gives the same digest.")
                .parameter("CONTEXT", "The directory COPY and ADD read from.", value -> context = Path.of(value))
                .option("-t, --tag", "NAME[:TAG]", "Name the image (repeatable).", value -> tags.add(Reference.parse(value)))
                .option("-f, --file", "FILE", "The recipe (default: CONTEXT/Dockerfile, else CONTEXT/Containerfile).",
                        value -> recipe = Path.of(value))
                .option("--build-arg", "NAME=VALUE", "A value for an ARG of the recipe (repeatable).", this::buildArgument)
                .option("--target", "STAGE", "Build up to this stage (its name or number) and name its image.", value -> target = value)
                .flag("--no-cache", "Run every step again instead of reusing the results of earlier builds.",
                        () -> noCache = true)
                .option("--network", "host|none", "Whether RUN steps reach the network (default: host).", value -> network = value)
                .flag("--push", "Push the image to the registry of each -t name once it is built.", () -> push = true)
                .option("-o, --output", "LOCATION", "Also write the image to oci:DIR[:TAG] or docker-archive:FILE[:NAME].",
                        value -> output = ImageLocation.parse(value))
                .option("--source-date-epoch", "SECONDS", "Every time in the image is this instant or earlier (default: $"
                        + EPOCH_VARIABLE + ", else now).", value -> sourceDateEpoch = value)
                .option("--sign-with", "KEY", "With --push: sign the build's provenance with this private key and attach it to "
                        + "each pushed image.", value -> signingKey = Path.of(value))
                .option("--verify", "REF", "Build REF again from its recorded provenance with CONTEXT, and say whether the "
                        + "digest is the same (and if not, which layer differs).", value -> verify = value)
                .option("--key", "PUB", "With --verify of an image in a registry: the key its provenance must be signed with "
                        + "(repeatable).", value -> provenanceKeys.addFile(Path.of(value)));
        secretFlags.declare(syntax);
        registryFlags.declare(syntax);
    }

    private void buildArgument(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            String value = System.getenv(text);
            if (value == null) {
                throw new UsageException("--build-arg " + text + ": give NAME=VALUE, or NAME of a variable set in the environment");
            }
            buildArguments.put(text, value);
        } else {
            buildArguments.put(text.substring(0, equals), text.substring(equals + 1));
        }
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        if (!network.equals("host") && !network.equals("none")) {
            throw new UsageException("--network takes host or none, not " + network);
        }
        if (push && tags.isEmpty()) {
            throw new UsageException("--push needs a name to push to: give -t REGISTRY/REPOSITORY:TAG");
        }
        if (signingKey != null && !push) {
            throw new UsageException("--sign-with signs what --push attaches; without --push the provenance stays in the local store");
        }
        if (output instanceof ImageLocation.Store) {
            throw new UsageException("-o takes oci:DIR[:TAG] or docker-archive:FILE[:NAME]; name the image with -t instead");
        }
        ImageCache cache = cache(null);
        BaseImages bases = reference -> base(reference, store, cache);
        if (verify != null) {
            return verify(store, bases, cache);
        }
        BuildRequest request = new BuildRequest(context, recipe != null ? recipe : defaultRecipe(), tags, buildArguments,
                Optional.ofNullable(target), network.equals("host"), sourceDate(), !noCache, secretFlags.secrets());
        Builder.Built built = builder(store, bases, cache).build(request);
        if (push || output != null) {
            try (Registries registries = registryFlags.registries()) {
                ImageTransfer transfer = new ImageTransfer(registries, () -> store, new ImageCopier());
                for (Reference tag : push ? tags : List.<Reference>of()) {
                    ImageTransfer.Result pushed = transfer.copy(new ImageLocation.Store(built.digest().toString()),
                            new ImageLocation.Registry(tag), PlatformChoice.ALL);
                    out().println("Pushed " + pushed.name() + " (" + pushed.root().digest() + ")");
                    if (signingKey != null) {
                        InTotoStatement statement = new InTotoStatement(tag.name(), built.digest(), InTotoStatement.SLSA_PROVENANCE,
                                built.provenance().predicate());
                        Digest referrer = BuildAttestations.attachSigned(registries, tag, statement, signingKey);
                        out().println("Attached its build provenance, signed with " + signingKey + " (referrer " + referrer + ")");
                    }
                }
                if (output != null) {
                    transfer.copy(new ImageLocation.Store(built.digest().toString()), output, PlatformChoice.ALL);
                    out().println("Wrote " + output);
                }
            }
        }
        return 0;
    }

    private Builder builder(LocalStore store, BaseImages bases, ImageCache cache) throws IOException {
        Path cacheDirectory = cache.userDirectory().resolve("build-cache");
        return new Builder(store, bases, cache.userDirectory().resolve("build"), cacheDirectory, cacheLimit(cacheDirectory),
                VersionCommand.version(), BuildCommand::download, out());
    }

    /** The size the step cache in {@code cacheDirectory} is kept under, as this user's environment and config file set it. */
    public static long cacheLimit(Path cacheDirectory) throws IOException {
        return BuildCacheLimit.of(System.getenv(), BerthConfig.load(System.getenv()).buildCacheLimit(), cacheDirectory);
    }

    /** ADD's downloads go as berth reaches registries: the environment's proxies, the system's and the site's CAs. */
    private static Downloads.Fetcher.Fetched download(URI uri) throws IOException {
        Response response = WebDownload.get(BerthConfig.load(System.getenv()), uri);
        return new Downloads.Fetcher.Fetched(response.status(), response.header("Last-Modified"), response.body());
    }

    /** {@code --verify REF}: the recorded build done again with this context, compared with the image. */
    private int verify(LocalStore store, BaseImages bases, ImageCache cache) throws IOException {
        if (!tags.isEmpty() || push || output != null || !buildArguments.isEmpty() || target != null || sourceDateEpoch != null) {
            throw new UsageException("--verify takes the build arguments, target and epoch from the provenance; "
                    + "leave out -t, --push, -o, --build-arg, --target and --source-date-epoch");
        }
        BuildAttestations.RecordedBuild recorded;
        try (Registries registries = registryFlags.registries()) {
            recorded = BuildAttestations.find(verify, store, registries, provenanceKeys);
        }
        BuildProvenance provenance = recorded.provenance();
        BuildRequest request = Rebuild.request(provenance, context, Optional.ofNullable(recipe)).withSecrets(secretFlags.secrets());
        out().println("Rebuilding " + recorded.subject() + " as berth " + provenance.builderVersion() + " built it on "
                + provenance.finishedOn() + (provenance.builderVersion().equals(VersionCommand.version()) ? ""
                : " (this is berth " + VersionCommand.version() + ")"));
        out().flush();
        Builder.Built rebuilt = builder(store, provenance.pinnedBases(bases), cache).build(request);
        BuildAttestations.RecordedBuild again = BuildAttestations.stored(store, rebuilt.digest(), rebuilt.provenance());
        Optional<String> difference = ImageDifference.between(recorded.manifest(), recorded.config(), again.manifest(), again.config());
        if (difference.isPresent()) {
            throw new BerthException("REBUILD_DIFFERS", "the rebuild of " + recorded.subject() + " is " + rebuilt.digest()
                    + ", not the same image: " + difference.get());
        }
        out().println("Verified: the rebuild of " + recorded.subject() + " is identical (" + rebuilt.digest() + ")");
        return 0;
    }

    private Path defaultRecipe() {
        Path dockerfile = context.resolve("Dockerfile");
        Path containerfile = context.resolve("Containerfile");
        return Files.exists(dockerfile) || !Files.exists(containerfile) ? dockerfile : containerfile;
    }

    private Optional<Instant> sourceDate() {
        String text = sourceDateEpoch != null ? sourceDateEpoch : System.getenv(EPOCH_VARIABLE);
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            throw new UsageException("the source date epoch must be whole seconds since 1970, not " + text);
        }
    }

    private static BaseImages.BaseImage base(String reference, LocalStore store, ImageCache cache) throws IOException {
        var image = images(store, cache, ImageResolver.Policy.NONE).resolve(reference);
        ImageRecord record = store.require(reference);
        ManifestBytes manifest = store.manifest(record.root());
        if (manifest.isIndex()) {
            Descriptor chosen = ImageCopier.choose(manifest, Platform.host());
            manifest = store.manifest(chosen);
        }
        byte[] config = store.readBlob(manifest.manifest().config().digest());
        return new BaseImages.BaseImage(record.name().toString(), manifest.digest(), manifest.manifest().layers(), config, image);
    }
}
