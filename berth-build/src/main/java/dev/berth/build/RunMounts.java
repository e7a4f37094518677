package dev.berth.build;

import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.Words;
import dev.berth.build.tree.TreePaths;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.runtime.cache.CacheShelf;
import dev.berth.runtime.sandbox.BuildStepSandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code RUN --mount=...} as BuildKit reads it, for the step only: {@code type=bind} (the
 * default) shows a path of the context, or with {@code from=} of a stage or image, read-only
 * unless {@code rw} (whose writes are then thrown away); {@code type=cache} a directory kept
 * between builds of the user under its {@code id} (default: the target), for package managers'
 * downloads; {@code type=tmpfs} an empty directory; {@code type=secret} and {@code type=ssh} what
 * {@code --secret} and {@code --ssh} gave ({@link SecretMounts}). Nothing a mount shows becomes part
 * of the layer. A bind's content is part of the step's cache key; a cache mount's is not, nor a
 * secret's (its id and target are), so a new password does not run the step again, as in BuildKit.
 * Cache mounts are entries of their own shelf ({@link #shelf}), which {@code berth system prune --all} empties.
 */
final class RunMounts {
    /** One parsed --mount: its type and options. */
    record Spec(String type, Map<String, String> options) {
        String target() {
            return options.getOrDefault("target", options.getOrDefault("dst", options.get("destination")));
        }

        Optional<String> from() {
            return Optional.ofNullable(options.get("from"));
        }

        String source() {
            return options.getOrDefault("source", options.getOrDefault("src", "."));
        }

        boolean writable() {
            String rw = options.getOrDefault("rw", options.getOrDefault("readwrite", "false"));
            return rw.isEmpty() || rw.equals("true");
        }
    }

    private RunMounts() {
    }

    static CacheShelf shelf(Path directory) {
        return new CacheShelf(directory, name -> name.matches("[0-9a-f]{64}"));
    }

    /** Reads {@code --mount} values (after variable expansion, as BuildKit expands them). */
    static List<Spec> parse(List<String> values, Words words, Instruction step, String file) {
        List<Spec> specs = new ArrayList<>();
        for (String value : values) {
            specs.add(parse(words.expand(value), (int) specs.stream().filter(spec -> spec.type().equals("ssh")).count(), step, file));
        }
        return List.copyOf(specs);
    }

    private static Spec parse(String value, int agentIndex, Instruction step, String file) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String field : value.split(",")) {
            int equals = field.indexOf('=');
            options.put(equals < 0 ? field : field.substring(0, equals), equals < 0 ? "" : field.substring(equals + 1));
        }
        String type = options.getOrDefault("type", "bind");
        if (SecretMounts.handles(type)) {
            return new Spec(type, SecretMounts.withDefaults(type, options, agentIndex, step, file));
        }
        if (!List.of("bind", "cache", "tmpfs").contains(type)) {
            throw new DockerfileSyntaxException(file, step.line(), "RUN --mount=type=" + type
                    + " is not supported (berth mounts bind, cache, tmpfs, secret and ssh)");
        }
        Spec spec = new Spec(type, options);
        String target = spec.target();
        if (target == null || target.isEmpty()) {
            throw new DockerfileSyntaxException(file, step.line(), "RUN --mount needs target=PATH");
        }
        return spec;
    }

    /**
     * What the mounts read, for the step's cache key: each bind's source content, or the key of
     * the stage it comes from; of a secret or agent only its options (id, target, ...), never what the build gave.
     */
    static String key(List<Spec> specs, BuildContext context, StageBuild.Stages stages, String where) throws IOException {
        StringBuilder key = new StringBuilder();
        for (Spec spec : specs) {
            key.append(spec.type()).append(' ').append(spec.target());
            if (SecretMounts.handles(spec.type())) {
                key.append(' ').append(new TreeMap<>(spec.options()));
            } else if (spec.type().equals("bind")) {
                key.append(spec.from().isPresent() ? " from=" + stages.key(spec.from().get()) + ":" + spec.source()
                        : " " + context.contentKey(context.sources(spec.source(), where)));
            }
            key.append('\0');
        }
        return key.toString();
    }

    /**
     * The mounts for the sandbox. A context bind is a copy of what .dockerignore leaves, made in
     * {@code scratch}; so is a writable bind of a stage's files, whose writes must not reach the stage,
     * and a secret. Close what this returns when the step ended.
     */
    static StepMounts prepare(List<Spec> specs, BuildContext context, StageBuild.Stages stages, BuildSecrets secrets, Path scratch,
                              Path cacheMounts, String where) throws IOException {
        StepMounts mounts = new StepMounts();
        try {
            for (Spec spec : specs) {
                switch (spec.type()) {
                    case "secret" -> SecretMounts.secret(spec, secrets, scratch, mounts, where);
                    case "ssh" -> SecretMounts.agent(spec, secrets, mounts, where);
                    case "tmpfs" -> mounts.mount(BuildStepSandbox.Mount.tmpfs(absoluteTarget(spec)));
                    case "cache" -> {
                        String id = spec.options().getOrDefault("id", absoluteTarget(spec));
                        Path directory = cacheMounts.resolve(Digest.of(id.getBytes(StandardCharsets.UTF_8)).hex());
                        Files.createDirectories(directory);
                        // kept from a prune for as long as the step runs
                        CacheShelf.Use use = CacheShelf.use(directory);
                        mounts.releaseAfter(use::close);
                        mounts.mount(new BuildStepSandbox.Mount(directory, absoluteTarget(spec), true));
                    }
                    default -> mounts.mount(bind(spec, absoluteTarget(spec), context, stages, scratch, where));
                }
            }
        } catch (IOException | RuntimeException failed) {
            mounts.close();
            throw failed;
        }
        return mounts;
    }

    static String absoluteTarget(Spec spec) {
        return spec.target().startsWith("/") ? spec.target() : "/" + spec.target();
    }

    private static BuildStepSandbox.Mount bind(Spec spec, String target, BuildContext context, StageBuild.Stages stages,
                                               Path scratch, String where) throws IOException {
        Path copy = Files.createTempDirectory(scratch, "mount-").resolve("content");
        if (spec.from().isPresent()) {
            // a link as the source is followed inside the stage, as BuildKit does: bwrap and the copy would follow it on the host
            Path source = TreePaths.resolveFollowing(stages.tree(spec.from().get()).tree(), spec.source());
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException("BUILD_SOURCE_MISSING", where + ": " + spec.source() + " is not in " + spec.from().get());
            }
            if (!spec.writable()) {
                return new BuildStepSandbox.Mount(source, target, false);
            }
            new FileCopier(copy.getParent(), new HashMap<>(), FileCopier.SourceTree.NONE, Optional.empty(), Optional.empty(),
                    path -> false).copy(source, copy);
            return new BuildStepSandbox.Mount(copy, target, true);
        }
        List<Path> sources = context.sources(spec.source(), where);
        if (sources.size() != 1) {
            throw new BerthException("BUILD_SOURCE_AMBIGUOUS", where + ": RUN --mount source " + spec.source()
                    + " names " + sources.size() + " paths; bind one file or directory");
        }
        Path source = context.root().resolve(sources.getFirst());
        new FileCopier(copy.getParent(), new HashMap<>(), FileCopier.SourceTree.NONE, Optional.empty(), Optional.empty(),
                context::excludes).copy(source, copy);
        return new BuildStepSandbox.Mount(copy, target, spec.writable());
    }
}
