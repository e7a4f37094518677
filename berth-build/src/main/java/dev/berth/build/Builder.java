package dev.berth.build;

import dev.berth.build.definition.DefinitionFile;
import dev.berth.build.provenance.BuildProvenance;
import dev.berth.build.provenance.RecordingBaseImages;
import dev.berth.build.dockerfile.Dockerfile;
import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.Words;
import dev.berth.oci.BerthException;
import dev.berth.oci.ByteSize;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Reference;
import dev.berth.oci.ScratchDirectory;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layer.LayerWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.store.StoreTransaction;
import dev.berth.runtime.ImageRoot;
import dev.berth.runtime.ToolRunner;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.trust.AttestationReferrer;
import dev.berth.trust.InTotoStatement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an image from a Dockerfile (or an Apptainer definition file, as the same steps): the stages the target needs, in order, each in its own
 * tree under a scratch directory; the target's image goes into the local store under the
 * request's names, all at once or not at all, with its build provenance as a referrer.
 */
public final class Builder {
    /** What makes a step read another stage: COPY --from=STAGE, RUN --mount=...,from=STAGE. */
    private static final Pattern COPY_FROM = Pattern.compile("--from=(\\S+)");
    private static final Pattern MOUNT_FROM = Pattern.compile("--mount=\\S*?\\bfrom=([^,\\s]+)");
    private final LocalStore store;
    private final BaseImages bases;
    private final Path workParent;
    private final StepCache cache;
    private final CacheShelf cacheShelf;
    private final long cacheLimit;
    private final Path cacheMounts;
    private final String builderVersion;
    private final Downloads.Fetcher fetcher;
    private final PrintWriter out;

    /** The image a build stored, and what it was made from. */
    public record Built(Digest digest, BuildProvenance provenance) {
    }

    /**
     * @param workParent where the build's scratch directory goes (trees, layers); removed when it ends
     * @param cacheDirectory where step results are kept for later builds
     * @param cacheLimit     the bytes of step results kept: after each build the steps used longest ago go (see {@link BuildCacheLimit})
     * @param builderVersion the berth version the provenance names as the builder's
     * @param fetcher        how ADD downloads a URL
     */
    public Builder(LocalStore store, BaseImages bases, Path workParent, Path cacheDirectory, long cacheLimit, String builderVersion,
                   Downloads.Fetcher fetcher, PrintWriter out) {
        this.store = store;
        this.bases = bases;
        this.workParent = workParent;
        this.cache = new StepCache(cacheDirectory);
        this.cacheShelf = StepCache.shelf(cacheDirectory);
        this.cacheLimit = cacheLimit;
        this.cacheMounts = cacheMountsDirectory(cacheDirectory);
        this.builderVersion = builderVersion;
        this.fetcher = fetcher;
        this.out = out;
    }

    /** The step cache kept in {@code cacheDirectory}, for listing and pruning. */
    public static CacheShelf stepCache(Path cacheDirectory) {
        return StepCache.shelf(cacheDirectory);
    }

    /** The RUN --mount=type=cache directories that go with the step cache in {@code cacheDirectory}. */
    public static CacheShelf cacheMounts(Path cacheDirectory) {
        return RunMounts.shelf(cacheMountsDirectory(cacheDirectory));
    }

    private static Path cacheMountsDirectory(Path cacheDirectory) {
        return cacheDirectory.resolveSibling(cacheDirectory.getFileName() + "-mounts");
    }

    /** Builds, stores and names the image, and stores its provenance. */
    public Built build(BuildRequest request) throws IOException {
        Instant started = Instant.now();
        if (!Files.isRegularFile(request.recipe())) {
            throw new BerthException("BUILD_RECIPE_MISSING", "there is no recipe " + request.recipe()
                    + " (name one with -f, or put a Dockerfile or Containerfile in the context)");
        }
        String text = Files.readString(request.recipe());
        String name = request.recipe().getFileName().toString();
        Dockerfile dockerfile = DefinitionFile.looksLike(text) ? DefinitionFile.parse(text, name) : Dockerfile.parse(text, name);
        Stage.Recipe recipe = Stage.split(dockerfile);
        Files.createDirectories(workParent);
        Set<String> stepsOfThisBuild = new HashSet<>();
        try (ScratchDirectory work = ScratchDirectory.create(workParent, "build");
             Session session = new Session(dockerfile, request, BuildContext.open(request.context()), new RecordingBaseImages(bases),
                     work.path(), cache, stepsOfThisBuild, cacheMounts, fetcher, out)) {
            Map<String, String> global = session.globalArguments(recipe.globalArguments());
            Stage target = target(recipe, request.target(), dockerfile.file());
            TreeSet<Integer> needed = new TreeSet<>();
            need(recipe, target, global, needed, dockerfile);
            int total = needed.stream().mapToInt(index -> recipe.stages().get(index).steps().size() + 1).sum();
            Map<Integer, StageBuild> built = new HashMap<>();
            int step = 0;
            for (int index : needed) {
                Stage stage = recipe.stages().get(index);
                out.println("STEP " + (++step) + "/" + total + ": " + stage.from());
                out.flush();
                StageBuild build = start(session, stage, global, built, recipe);
                List<String> triggers = build.image().takeOnBuild();
                if (!triggers.isEmpty()) {
                    out.println("--> Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s")
                            + " of " + stage.baseText());
                    for (Instruction trigger : Dockerfile.instructions(String.join("\n", triggers),
                            dockerfile.file() + " (ONBUILD of " + stage.baseText() + ")").instructions()) {
                        out.println("ONBUILD " + trigger);
                        out.flush();
                        build.run(trigger, others(session, recipe, built, stage));
                    }
                }
                for (Instruction instruction : stage.steps()) {
                    out.println("STEP " + (++step) + "/" + total + ": " + instruction);
                    out.flush();
                    build.run(instruction, others(session, recipe, built, stage));
                }
                built.put(index, build);
            }
            return commit(session, built.get(target.index()).image(), request.tags(), started);
        } finally {
            keepCacheUnderLimit(stepsOfThisBuild);
        }
    }

    /** Never fails the build: a cache that stays too large costs disk, not the image. */
    private void keepCacheUnderLimit(Set<String> stepsOfThisBuild) {
        try {
            StepCacheEviction.Evicted evicted = StepCacheEviction.evict(cacheShelf, cacheLimit, stepsOfThisBuild);
            if (evicted.steps() > 0) {
                out.println("berth: build cache over its " + ByteSize.format(cacheLimit) + " limit: removed " + evicted.steps()
                        + " old step" + (evicted.steps() == 1 ? "" : "s") + " (" + ByteSize.format(evicted.bytes()) + ")");
            }
        } catch (IOException | RuntimeException e) {
            out.println("berth: warning: could not bring the build cache in " + cacheShelf.directory() + " under its "
                    + ByteSize.format(cacheLimit) + " limit: " + e.getMessage());
        }
        out.flush();
    }

    private static Stage target(Stage.Recipe recipe, Optional<String> name, String file) {
        if (name.isEmpty()) {
            return recipe.stages().getLast();
        }
        return recipe.stages().stream().filter(stage -> stage.answersTo(name.get())).findFirst().orElseThrow(() ->
                new BerthException("BUILD_TARGET_UNKNOWN", file + " has no stage " + name.get()));
    }

    /** Marks {@code stage} and the earlier stages it builds on or copies from. */
    private static void need(Stage.Recipe recipe, Stage stage, Map<String, String> global, TreeSet<Integer> needed, Dockerfile file) {
        if (!needed.add(stage.index())) {
            return;
        }
        List<String> references = new ArrayList<>();
        references.add(Words.of(file.escape(), global).expand(stage.baseText()));
        for (Instruction step : stage.steps()) {
            Pattern reads = step.keyword().equals("COPY") ? COPY_FROM : step.keyword().equals("RUN") ? MOUNT_FROM : null;
            if (reads != null) {
                Matcher from = reads.matcher(step.arguments());
                while (from.find()) {
                    references.add(from.group(1));
                }
            }
        }
        for (String reference : references) {
            recipe.stages().stream().filter(other -> other.index() < stage.index() && other.answersTo(reference)).findFirst()
                    .ifPresent(other -> need(recipe, other, global, needed, file));
        }
    }

    private StageBuild start(Session session, Stage stage, Map<String, String> global, Map<Integer, StageBuild> built,
                             Stage.Recipe recipe) throws IOException {
        String base = Words.of(session.escape(), global).expand(stage.baseText());
        Path tree = Files.createDirectory(session.work.resolve("stage-" + stage.index()));
        Optional<Stage> earlier = recipe.stages().stream().filter(other -> other.index() < stage.index() && other.answersTo(base)).findFirst();
        if (earlier.isPresent()) {
            StageBuild from = built.get(earlier.get().index());
            StageBuild.TreeFill copy = target -> ToolRunner.run(List.of("cp", "-a", "--", from.materializedTree() + "/.", target.toString()),
                    "copying stage " + base);
            return new StageBuild(session, stage, tree, from.image().copy(), global, copy, from.key(), from.owners());
        }
        if (base.equals("scratch")) {
            return new StageBuild(session, stage, tree, ImageState.scratch(), global, target -> { }, StepCache.key("scratch"), Map.of());
        }
        BaseImages.BaseImage image = session.bases.open(base);
        return new StageBuild(session, stage, tree, ImageState.from(image.config(), image.layers()), global,
                target -> unpack(session, image, target), StepCache.key("image", image.manifest().toString()), Map.of());
    }

    private static void unpack(Session session, BaseImages.BaseImage base, Path tree) throws IOException {
        ImageRoot.unpack(base.file(), tree, session.work);
        Path metadata = tree.resolve(dev.berth.runtime.ImageMetadata.DIRECTORY_IN_IMAGE);
        if (Files.exists(metadata)) {
            ToolRunner.run(List.of("rm", "-rf", "--", metadata.toString()), "removing berth's metadata from the base");
        }
    }

    /** COPY --from: an earlier stage's tree, or an image's, unpacked once per build. */
    private StageBuild.Stages others(Session session, Stage.Recipe recipe, Map<Integer, StageBuild> built, Stage current) {
        return new StageBuild.Stages() {
            @Override
            public FileCopier.SourceTree tree(String reference) throws IOException {
                Optional<StageBuild> stage = earlier(reference);
                if (stage.isPresent()) {
                    return stage.get().asSource();
                }
                Path tree = session.imageTrees.get(reference);
                if (tree == null) {
                    tree = Files.createDirectory(session.work.resolve("image-" + session.imageTrees.size()));
                    unpack(session, session.bases.open(reference), tree);
                    session.imageTrees.put(reference, tree);
                }
                return new FileCopier.SourceTree(tree, Map.of());
            }

            @Override
            public String key(String reference) throws IOException {
                Optional<StageBuild> stage = earlier(reference);
                return stage.isPresent() ? stage.get().key()
                        : StepCache.key("image", session.bases.open(reference).manifest().toString());
            }

            private Optional<StageBuild> earlier(String reference) {
                return recipe.stages().stream().filter(other -> other.index() < current.index() && other.answersTo(reference))
                        .findFirst().map(other -> built.get(other.index()));
            }
        };
    }

    private Built commit(Session session, ImageState image, List<Reference> tags, Instant started) throws IOException {
        byte[] config = image.configBytes(session.created());
        Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(config), config.length);
        ManifestBytes manifest = ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST, configDescriptor, image.layers()));
        BuildProvenance provenance = provenance(session, started);
        InTotoStatement statement = new InTotoStatement(tags.isEmpty() ? manifest.digest().toString() : tags.getFirst().toString(),
                manifest.digest(), InTotoStatement.SLSA_PROVENANCE, provenance.predicate());
        AttestationReferrer referrer = AttestationReferrer.unsigned(manifest.descriptor(), statement);
        try (StoreTransaction transaction = store.begin()) {
            for (LayerWriter.Written layer : session.layers) {
                if (image.layers().contains(layer.descriptor()) && !transaction.hasBlob(layer.descriptor())) {
                    try (InputStream in = Files.newInputStream(layer.file())) {
                        transaction.putBlob(layer.descriptor(), in);
                    }
                }
            }
            transaction.putBlob(configDescriptor, new ByteArrayInputStream(config));
            transaction.putManifest(manifest);
            transaction.putBlob(referrer.configDescriptor(), new ByteArrayInputStream(referrer.config()));
            transaction.putBlob(referrer.contentDescriptor(), new ByteArrayInputStream(referrer.content()));
            transaction.putReferrer(referrer.manifest());
            for (Reference tag : tags) {
                transaction.tag(tag, manifest);
            }
            transaction.commit();
        }
        for (Reference tag : tags) {
            out.println("Successfully tagged " + tag);
        }
        out.println(manifest.digest());
        out.flush();
        return new Built(manifest.digest(), provenance);
    }

    private BuildProvenance provenance(Session session, Instant started) throws IOException {
        BuildRequest request = session.request;
        Path context = request.context().toAbsolutePath().normalize();
        Path recipe = request.recipe().toAbsolutePath().normalize();
        String recipeName = recipe.startsWith(context) ? context.relativize(recipe).toString() : recipe.toString();
        return new BuildProvenance(recipeName, Digest.of(Files.readAllBytes(recipe)), session.context.digest(),
                request.buildArguments(), request.target(), request.network(), request.sourceDate(), session.bases.opened(),
                builderVersion, started.truncatedTo(ChronoUnit.SECONDS), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * One build's shared state: its recipe, request, context and scratch space, the layers its
     * steps wrote, and the cached steps it uses, held until it ends.
     */
    static final class Session implements AutoCloseable {
        private final Dockerfile dockerfile;
        private final BuildRequest request;
        private final BuildContext context;
        private final RecordingBaseImages bases;
        private final Path work;
        private final Instant created;
        private final List<LayerWriter.Written> layers = new ArrayList<>();
        private final Map<String, Path> imageTrees = new LinkedHashMap<>();
        private final Downloads downloads;

        private final StepCache cache;
        private final Set<String> cachedSteps;
        private final List<CacheShelf.Use> cacheUses = new ArrayList<>();
        private final Path cacheMounts;
        private final PrintWriter out;

        /** @param cachedSteps collects the keys of the cached steps the build reuses or stores */
        Session(Dockerfile dockerfile, BuildRequest request, BuildContext context, RecordingBaseImages bases, Path work,
                StepCache cache, Set<String> cachedSteps, Path cacheMounts, Downloads.Fetcher fetcher, PrintWriter out) throws IOException {
            this.dockerfile = dockerfile;
            this.request = request;
            this.context = context;
            this.bases = bases;
            this.work = work;
            this.cache = cache;
            this.cachedSteps = cachedSteps;
            this.cacheMounts = cacheMounts;
            this.downloads = new Downloads(work.resolve("downloads"), fetcher);
            this.out = out;
            this.created = request.sourceDate().orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
            Files.createDirectory(work.resolve("private"));
            Files.createDirectory(work.resolve("layers"));
        }

        String file() {
            return dockerfile.file();
        }

        char escape() {
            return dockerfile.escape();
        }

        BuildContext context() {
            return context;
        }

        Instant created() {
            return created;
        }

        Optional<Instant> sourceDate() {
            return request.sourceDate();
        }

        boolean network() {
            return request.network();
        }

        Optional<String> buildArgument(String name) {
            return Optional.ofNullable(request.buildArguments().get(name));
        }

        Path privateDirectory() {
            return work.resolve("private");
        }

        /** What ADD downloaded in this build. */
        Downloads downloads() {
            return downloads;
        }

        /** What RUN --mount=type=secret|ssh may show a step. */
        BuildSecrets secrets() {
            return request.secrets();
        }

        /** Where RUN --mount=type=cache directories live between builds. */
        Path cacheMounts() {
            return cacheMounts;
        }

        Path layerFile(int stage, int layer) {
            return work.resolve("layers").resolve(stage + "-" + layer + ".tar.gz");
        }

        void addLayer(LayerWriter.Written layer) {
            layers.add(layer);
        }

        /** An earlier build's result for the step with this key, unless the request says not to reuse any. */
        Optional<StepCache.Entry> cachedResult(String key) throws IOException {
            Optional<StepCache.Entry> found = request.useCache() ? cache.find(key) : Optional.empty();
            if (found.isPresent()) {
                cachedSteps.add(key);
                cacheUses.add(found.get().use());
            }
            return found;
        }

        void remember(String key, Optional<LayerWriter.Written> layer, Map<String, LayerWriter.Owner> owners) throws IOException {
            cache.store(key, layer, owners);
            cachedSteps.add(key);
        }

        @Override
        public void close() throws IOException {
            for (CacheShelf.Use use : cacheUses) {
                use.close();
            }
        }

        void note(String line) {
            out.println(line);
            out.flush();
        }

        /** The ARGs before the first FROM: their defaults, or the values --build-arg gives. */
        Map<String, String> globalArguments(List<Instruction> arguments) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Instruction argument : arguments) {
                if (!argument.keyword().equals("ARG")) {
                    throw new DockerfileSyntaxException(file(), argument.line(), "only ARG may come before the first FROM");
                }
                for (String word : Words.of(escape(), values).split(argument.arguments())) {
                    int equals = word.indexOf('=');
                    String name = equals < 0 ? word : word.substring(0, equals);
                    String value = buildArgument(name).orElse(equals < 0 ? null : word.substring(equals + 1));
                    if (value != null) {
                        values.put(name, value);
                    }
                }
            }
            return values;
        }
    }
}
