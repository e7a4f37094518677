package dev.berth.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.dockerfile.CommandForm;
import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Flags;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.Words;
import dev.berth.build.tree.TarUnpacker;
import dev.berth.build.tree.TreeChanges;
import dev.berth.build.tree.TreePaths;
import dev.berth.build.tree.TreeSnapshot;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.oci.layer.LayerWriter;
import dev.berth.runtime.sandbox.BuildStepSandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one stage's instructions against its tree and image state: metadata instructions change
 * the config; RUN, COPY, ADD and WORKDIR change the tree, and what they changed becomes a layer.
 */
final class StageBuild {
    /** What other stages (or images) offer this one for COPY --from: their trees, and the keys their trees have in the cache. */
    interface Stages {
        FileCopier.SourceTree tree(String reference) throws IOException;

        String key(String reference) throws IOException;
    }

    /** How the stage's first tree is made (the base unpacked, an earlier stage copied), when a step first needs it. */
    @FunctionalInterface
    interface TreeFill {
        void into(Path tree) throws IOException;
    }

    private static final Set<String> TREE_STEPS = Set.of("RUN", "COPY", "ADD", "WORKDIR");

    private final Builder.Session session;
    private final Stage stage;
    private final Path tree;
    private final ImageState image;
    /** The ARGs before the first FROM, which a stage's {@code ARG NAME} brings into it. */
    private final Map<String, String> globalArguments;
    private final Map<String, String> arguments = new LinkedHashMap<>();
    private final Map<String, LayerWriter.Owner> owners;
    private final TreeFill fill;
    /** Layers reused from the cache while the tree was not yet made: they are applied when it is. */
    private final List<Path> replay = new ArrayList<>();
    private boolean materialized;
    private TreeSnapshot snapshot;
    private String key;
    private int layerCount;
    private boolean cmdSet;

    /** {@code key}: what the starting tree is (the base image's digest, an earlier stage's key) */
    StageBuild(Builder.Session session, Stage stage, Path tree, ImageState image, Map<String, String> globalArguments,
               TreeFill fill, String key, Map<String, LayerWriter.Owner> owners) {
        this.session = session;
        this.stage = stage;
        this.tree = tree;
        this.image = image;
        this.globalArguments = Map.copyOf(globalArguments);
        this.fill = fill;
        this.key = key;
        this.owners = new HashMap<>(owners);
    }

    String key() {
        return key;
    }

    /** The stage's tree as its steps so far left it, made now if no step needed it yet. */
    Path materializedTree() throws IOException {
        if (!materialized) {
            fill.into(tree);
            TarUnpacker unpacker = new TarUnpacker(tree, new HashMap<>());
            for (Path layer : replay) {
                unpacker.unpack(layer, "", true, Optional.empty());
            }
            replay.clear();
            snapshot = TreeSnapshot.of(tree);
            materialized = true;
        }
        return tree;
    }

    ImageState image() {
        return image;
    }

    Map<String, LayerWriter.Owner> owners() {
        return Map.copyOf(owners);
    }

    /** The tree with who owns what in it, for a later stage's COPY --from. */
    FileCopier.SourceTree asSource() throws IOException {
        return new FileCopier.SourceTree(materializedTree(), Map.copyOf(owners));
    }

    void run(Instruction step, Stages stages) throws IOException {
        String where = session.file() + ":" + step.line();
        if (TREE_STEPS.contains(step.keyword())) {
            if (step.keyword().equals("WORKDIR")) {
                setWorkingDirectory(step);
            }
            key = StepCache.key(key, step.toString(), heredocs(step), arguments.toString(), inputs(step, stages, where));
            Optional<StepCache.Entry> cached = session.cachedResult(key);
            if (cached.isPresent()) {
                reuse(step, cached.get());
                return;
            }
            materializedTree();
        }
        try {
            switch (step.keyword()) {
                case "ARG" -> argument(step);
                case "ENV" -> environment(step);
                case "LABEL" -> pairs(step).forEach(image::addLabel);
                case "MAINTAINER" -> image.addLabel("maintainer", step.arguments());
                case "WORKDIR" -> workingDirectory(step);
                case "USER" -> image.setUser(words().expand(step.arguments()));
                case "EXPOSE" -> words().split(step.arguments()).forEach(port -> image.addMember("ExposedPorts",
                        port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp"));
                case "VOLUME" -> CommandForm.execForm(step.arguments()).orElseGet(() -> words().split(step.arguments()))
                        .forEach(volume -> image.addMember("Volumes", volume));
                case "STOPSIGNAL" -> image.setString("StopSignal", words().expand(step.arguments()));
                case "CMD" -> image.setList("Cmd", CommandForm.command(step.arguments(), image.shell()));
                case "ENTRYPOINT" -> {
                    image.setList("Entrypoint", CommandForm.command(step.arguments(), image.shell()));
                    if (!cmdSet) {
                        image.clear("Cmd");
                    }
                }
                case "SHELL" -> image.setList("Shell", CommandForm.execForm(step.arguments()).orElseThrow(() ->
                        new DockerfileSyntaxException(session.file(), step.line(), "SHELL takes a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]")));
                case "HEALTHCHECK" -> image.setHealthcheck(healthcheck(step));
                case "ONBUILD" -> image.addOnBuild(trigger(step));
                case "RUN" -> run(step, stages, where);
                case "COPY", "ADD" -> copy(step, stages, where);
                default -> throw new DockerfileSyntaxException(session.file(), step.line(), step.keyword() + " cannot appear here");
            }
        } catch (IllegalArgumentException badWords) {
            throw new DockerfileSyntaxException(session.file(), step.line(), badWords.getMessage());
        }
        cmdSet |= step.keyword().equals("CMD");
        if (!TREE_STEPS.contains(step.keyword())) {
            key = StepCache.key(key, step.toString(), arguments.toString());
            image.record(step.toString(), session.created(), Optional.empty());
        }
    }

    /** An ONBUILD's instruction, refused here as Docker refuses it: no ONBUILD ONBUILD, FROM or MAINTAINER. */
    private String trigger(Instruction step) {
        String keyword = step.arguments().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (Set.of("ONBUILD", "FROM", "MAINTAINER").contains(keyword)) {
            throw new DockerfileSyntaxException(session.file(), step.line(), keyword + " is not allowed as an ONBUILD trigger");
        }
        if (step.arguments().isBlank()) {
            throw new DockerfileSyntaxException(session.file(), step.line(), "ONBUILD needs an instruction, e.g. ONBUILD COPY . /app");
        }
        return step.arguments();
    }

    private void reuse(Instruction step, StepCache.Entry cached) throws IOException {
        session.note("--> Using cache");
        owners.clear();
        owners.putAll(cached.owners());
        Optional<LayerWriter.Written> layer = cached.layer();
        if (layer.isPresent()) {
            session.addLayer(layer.get());
            if (materialized) {
                new TarUnpacker(tree, new HashMap<>()).unpack(layer.get().file(), "", true, Optional.empty());
                snapshot = TreeSnapshot.of(tree);
            } else {
                replay.add(layer.get().file());
            }
        }
        image.record(step.toString(), session.created(), layer.map(written -> new ImageState.LayerOutput(written.descriptor(), written.diffId())));
    }

    private static String heredocs(Instruction step) {
        StringBuilder bodies = new StringBuilder();
        step.heredocs().forEach(heredoc -> bodies.append(heredoc.delimiter()).append('\0').append(heredoc.body()).append('\0'));
        return bodies.toString();
    }

    /** What a step reads besides its text: RUN the network; COPY and ADD their sources' content, or the other stage's key. */
    private String inputs(Instruction step, Stages stages, String where) throws IOException {
        if (step.keyword().equals("RUN")) {
            return "network=" + session.network() + " user=" + image.user() + " workdir=" + image.workingDirectory()
                    + " mounts=" + RunMounts.key(mountSpecs(step, runFlags(step)), session.context(), stages, where);
        }
        if (step.keyword().equals("WORKDIR")) {
            return "";
        }
        Flags flags = copyFlags(step);
        Optional<String> from = flags.value("from");
        if (from.isPresent()) {
            return "from=" + stages.key(words().expand(from.get()));
        }
        List<String> words = copyWords(step, flags);
        StringBuilder inputs = new StringBuilder();
        for (String source : words.subList(0, words.size() - 1)) {
            if (step.keyword().equals("ADD") && Downloads.isUrl(source)) {
                inputs.append(session.downloads().fetch(words().expand(source), flags.value("checksum"), where).digest()).append('\0');
            } else if (!source.startsWith("<<") && !source.contains("://")) {
                inputs.append(session.context().contentKey(session.context().sources(words().expand(source), where))).append('\0');
            }
        }
        return inputs.toString();
    }

    /** Variables for expansion: the stage's ARGs in scope, then its ENV over them. */
    private Words words() {
        Map<String, String> variables = new HashMap<>(arguments);
        variables.putAll(image.environment());
        return Words.of(session.escape(), variables);
    }

    private void argument(Instruction step) {
        for (String word : words().split(step.arguments())) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            String value = session.buildArgument(name).orElse(equals < 0 ? globalArguments.get(name) : word.substring(equals + 1));
            if (value != null) {
                arguments.put(name, value);
            }
        }
    }

    private void environment(Instruction step) {
        pairs(step).forEach(image::setEnvironment);
    }

    /** {@code K=V K2="V 2"}, or the old {@code K V...} form. */
    private Map<String, String> pairs(Instruction step) {
        List<String> words = words().split(step.arguments());
        Map<String, String> pairs = new LinkedHashMap<>();
        if (!words.isEmpty() && !words.getFirst().contains("=")) {
            String rest = step.arguments().strip().substring(step.arguments().strip().indexOf(words.getFirst()) + words.getFirst().length());
            pairs.put(words.getFirst(), words().expand(rest.strip()));
            return pairs;
        }
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(step.keyword() + " needs KEY=VALUE pairs, not " + word);
            }
            pairs.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return pairs;
    }

    private void setWorkingDirectory(Instruction step) {
        String dir = words().expand(step.arguments());
        String absolute = dir.startsWith("/") ? dir : image.workingDirectory().replaceAll("/+$", "") + "/" + dir;
        image.setWorkingDirectory(Path.of(absolute).normalize().toString());
    }

    private void workingDirectory(Instruction step) throws IOException {
        TreePaths.createDirectories(TreePaths.resolveFollowing(tree, image.workingDirectory()));
        commitChanges(step);
    }

    private void run(Instruction step, Stages stages, String where) throws IOException {
        Flags flags = runFlags(step);
        List<String> command;
        if (!step.heredocs().isEmpty() && flags.rest().strip().startsWith("<<")) {
            command = new ArrayList<>(image.shell());
            command.add(step.heredocs().getFirst().body());
        } else {
            command = CommandForm.command(flags.rest(), image.shell());
        }
        Map<String, String> environment = new LinkedHashMap<>(arguments);
        environment.putAll(image.environment());
        ImageUsers.Ids user = ImageUsers.resolve(tree, image.user(), where);
        environment.putIfAbsent("HOME", user.uid() == 0 ? "/root" : "/");
        environment.putIfAbsent("HOSTNAME", "berth-build");
        Path workingDirectory = TreePaths.resolveFollowing(tree, image.workingDirectory());
        TreePaths.createDirectories(workingDirectory);
        int exit;
        try (StepMounts mounts = RunMounts.prepare(mountSpecs(step, flags), session.context(), stages, session.secrets(),
                session.privateDirectory(), session.cacheMounts(), where)) {
            environment.putAll(mounts.environment());
            exit = BuildStepSandbox.run(new BuildStepSandbox.Step(tree, image.workingDirectory(), user.uid(), user.gid(), environment,
                    command, session.network(), mounts.mounts()), session.privateDirectory());
        }
        if (exit != 0) {
            throw new BerthException("BUILD_STEP_FAILED", where + ": " + step + " failed with exit code " + exit);
        }
        if (user.uid() != 0) {
            TreeSnapshot after = TreeSnapshot.of(tree);
            LayerWriter.Owner owner = new LayerWriter.Owner(user.uid(), user.gid());
            after.entries().keySet().stream().filter(path -> !snapshot.entries().containsKey(path)).forEach(path -> owners.put(path, owner));
        }
        commitChanges(step);
    }

    private void copy(Instruction step, Stages stages, String where) throws IOException {
        boolean add = step.keyword().equals("ADD");
        Flags flags = copyFlags(step);
        List<String> words = copyWords(step, flags);
        List<String> sources = words.subList(0, words.size() - 1);
        String destination = words().expand(words.getLast());
        String absolute = destination.startsWith("/") ? destination : image.workingDirectory().replaceAll("/+$", "") + "/" + destination;
        Optional<LayerWriter.Owner> owner = flags.value("chown").map(words()::expand).map(spec -> {
            try {
                ImageUsers.Ids ids = ImageUsers.resolve(tree, spec, where);
                return new LayerWriter.Owner(ids.uid(), ids.gid());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Optional<Integer> mode = flags.value("chmod").map(text -> {
            if (!text.matches("[0-7]{3,4}")) {
                throw new DockerfileSyntaxException(session.file(), step.line(), "--chmod takes an octal mode such as 0755, not " + text);
            }
            return Integer.parseInt(text, 8);
        });
        Optional<String> from = flags.value("from");
        FileCopier.SourceTree sourceTree = from.isPresent() ? stages.tree(words().expand(from.get())) : FileCopier.SourceTree.NONE;
        FileCopier copier = new FileCopier(tree, owners, sourceTree, owner, mode,
                from.isPresent() ? path -> false : session.context()::excludes);
        List<Path> hostSources = new ArrayList<>();
        List<Path> remote = new ArrayList<>();
        for (String source : sources) {
            if (source.startsWith("<<")) {
                String delimiter = source.replaceAll("^<<-?[\"']?|[\"']$", "");
                Instruction.Heredoc heredoc = step.heredocs().stream().filter(h -> h.delimiter().equals(delimiter)).findFirst()
                        .orElseThrow(() -> new DockerfileSyntaxException(session.file(), step.line(), "no here-document " + delimiter));
                Path file = session.privateDirectory().resolve(delimiter);
                Files.writeString(file, heredoc.body());
                hostSources.add(file);
            } else if (add && Downloads.isUrl(source)) {
                Path downloaded = session.downloads().fetch(words().expand(source), flags.value("checksum"), where).file();
                hostSources.add(downloaded);
                remote.add(downloaded);
            } else if (source.contains("://")) {
                throw new BerthException("BUILD_SOURCE_UNSUPPORTED", where + ": " + step.keyword() + " of " + source
                        + " is not supported: " + (add ? "ADD downloads http and https URLs only" : "COPY takes no URLs; use ADD"));
            } else if (from.isPresent()) {
                Path path = TreePaths.resolve(sourceTree.tree(), words().expand(source));
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BerthException("BUILD_SOURCE_MISSING", where + ": " + source + " is not in " + from.get());
                }
                hostSources.add(path);
            } else {
                for (Path relative : session.context().sources(words().expand(source), where)) {
                    hostSources.add(session.context().root().resolve(relative));
                }
            }
        }
        boolean intoDirectory = destination.endsWith("/") || hostSources.size() > 1
                || Files.isDirectory(TreePaths.resolveFollowing(tree, absolute));
        for (Path source : hostSources) {
            if (add && from.isEmpty() && !remote.contains(source) && FileCopier.isArchive(source)) {
                copier.unpack(source, TreePaths.resolveFollowing(tree, absolute));
            } else if (Files.isDirectory(source)) {
                copier.copy(source, TreePaths.resolveFollowing(tree, absolute));
            } else if (intoDirectory) {
                Path dir = TreePaths.resolveFollowing(tree, absolute);
                TreePaths.createDirectories(dir);
                copier.copy(source, dir.resolve(source.getFileName().toString()));
            } else {
                copier.copy(source, TreePaths.resolve(tree, absolute));
            }
        }
        commitChanges(step);
    }

    private Flags runFlags(Instruction step) {
        return Flags.parse(step, Set.of("network", "mount"), session.file());
    }

    private List<RunMounts.Spec> mountSpecs(Instruction step, Flags flags) {
        List<String> values = flags.flags().stream().filter(flag -> flag.name().equals("mount")).map(Flags.Flag::value).toList();
        return RunMounts.parse(values, words(), step, session.file());
    }

    private Flags copyFlags(Instruction step) {
        return Flags.parse(step, step.keyword().equals("ADD") ? Set.of("chown", "chmod", "link", "checksum", "keep-git-dir")
                : Set.of("from", "chown", "chmod", "link", "parents"), session.file());
    }

    /** The sources and, last, the destination. */
    private List<String> copyWords(Instruction step, Flags flags) {
        List<String> words = CommandForm.execForm(flags.rest()).orElseGet(() -> words().split(flags.rest()));
        if (words.size() < 2) {
            throw new DockerfileSyntaxException(session.file(), step.line(), step.keyword() + " needs a source and a destination");
        }
        return words;
    }

    private ObjectNode healthcheck(Instruction step) {
        ObjectNode check = Json.mapper().createObjectNode();
        if (step.arguments().strip().equalsIgnoreCase("NONE")) {
            check.putArray("Test").add("NONE");
            return check;
        }
        Flags flags = Flags.parse(step, Set.of("interval", "timeout", "start-period", "start-interval", "retries"), session.file());
        String rest = flags.rest().strip();
        if (!rest.regionMatches(true, 0, "CMD", 0, 3)) {
            throw new DockerfileSyntaxException(session.file(), step.line(), "HEALTHCHECK takes NONE or [OPTIONS] CMD command");
        }
        String command = rest.substring(3).strip();
        List<String> test = new ArrayList<>();
        CommandForm.execForm(command).ifPresentOrElse(exec -> {
            test.add("CMD");
            test.addAll(exec);
        }, () -> {
            test.add("CMD-SHELL");
            test.add(command);
        });
        test.forEach(check.putArray("Test")::add);
        for (String name : List.of("interval", "timeout", "start-period", "start-interval")) {
            flags.value(name).ifPresent(value -> check.put(camel(name), Duration.parse("PT" + value.toUpperCase(Locale.ROOT)).toNanos()));
        }
        flags.value("retries").ifPresent(value -> check.put("Retries", Integer.parseInt(value)));
        return check;
    }

    private static String camel(String flag) {
        StringBuilder name = new StringBuilder();
        for (String part : flag.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    /** What the step changed, as a layer (none when it changed nothing), and its history entry. */
    private void commitChanges(Instruction step) throws IOException {
        TreeSnapshot after = TreeSnapshot.of(tree);
        TreeChanges changes = after.since(snapshot);
        snapshot = after;
        Optional<ImageState.LayerOutput> layer = Optional.empty();
        if (!changes.isEmpty()) {
            Path file = session.layerFile(stage.index(), ++layerCount);
            LayerWriter.Written written = LayerCommit.write(tree, changes, owners, session.sourceDate(), file);
            session.addLayer(written);
            layer = Optional.of(new ImageState.LayerOutput(written.descriptor(), written.diffId()));
            session.remember(key, Optional.of(written), owners);
        } else {
            session.remember(key, Optional.empty(), owners);
        }
        image.record(step.toString(), session.created(), layer);
    }
}
