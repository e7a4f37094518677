package dev.berth.build.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.BaseImages;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@code berth build} was made from, as the predicate of SLSA v1 build provenance: the
 * recipe (its path and digest), the context (one digest over what COPY could read), the build
 * arguments, target stage, network and source date epoch, and every image FROM or COPY --from
 * named, by the reference the recipe gave and the manifest digest it resolved to. Enough to do
 * the build again and compare ({@code berth build --verify}).
 */
public record BuildProvenance(String recipe, Digest recipeDigest, Digest contextDigest, Map<String, String> buildArguments,
                              Optional<String> target, boolean network, Optional<Instant> sourceDate,
                              List<ResolvedBase> bases, String builderVersion, Instant startedOn, Instant finishedOn) {
    public static final String BUILD_TYPE = "https://berth.dev/build/v1";
    public static final String BUILDER_ID = "https://berth.dev/berth-build";
    private static final String IMAGE_SCHEME = "docker://";

    /** An image the recipe named ({@code reference}, after ARG expansion), the name it resolved to, and its manifest. */
    public record ResolvedBase(String reference, String name, Digest manifest) {
        /** The same image by digest, wherever its tag points now. */
        String pinned() {
            return Reference.parse(name).withTag(null).withDigest(manifest).toString();
        }
    }

    public BuildProvenance {
        buildArguments = Map.copyOf(buildArguments);
        bases = List.copyOf(bases);
    }

    /** Base images that are the recorded ones, by digest; a reference the recorded build did not use is refused. */
    public BaseImages pinnedBases(BaseImages images) {
        return reference -> {
            ResolvedBase base = bases.stream().filter(recorded -> recorded.reference().equals(reference)).findFirst()
                    .orElseThrow(() -> new BerthException("REBUILD_BASE_UNKNOWN", "the recipe names the image " + reference
                            + ", which the recorded build did not use"));
            return images.open(base.pinned());
        };
    }

    public JsonNode predicate() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode predicate = json.objectNode();
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode parameters = definition.putObject("externalParameters");
        parameters.put("recipe", recipe);
        ObjectNode arguments = parameters.putObject("buildArgs");
        new TreeMap<>(buildArguments).forEach(arguments::put);
        target.ifPresent(stage -> parameters.put("target", stage));
        parameters.put("network", network ? "host" : "none");
        sourceDate.ifPresent(epoch -> parameters.put("sourceDateEpoch", epoch.getEpochSecond()));
        ArrayNode dependencies = definition.putArray("resolvedDependencies");
        dependency(dependencies.addObject().put("name", "context"), contextDigest);
        dependency(dependencies.addObject().put("name", "recipe").put("uri", recipe), recipeDigest);
        for (ResolvedBase base : bases) {
            dependency(dependencies.addObject().put("name", base.reference()).put("uri", IMAGE_SCHEME + base.name()), base.manifest());
        }
        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", BUILDER_ID);
        builder.putObject("version").put("berth", builderVersion);
        run.putObject("metadata").put("startedOn", startedOn.toString()).put("finishedOn", finishedOn.toString());
        return predicate;
    }

    private static void dependency(ObjectNode node, Digest digest) {
        node.putObject("digest").put(digest.algorithm().id(), digest.hex());
    }

    /** Reads a predicate {@link #predicate()} wrote; one of another builder, or incomplete, is refused in one line. */
    public static BuildProvenance read(JsonNode predicate) {
        JsonNode definition = predicate.path("buildDefinition");
        String buildType = definition.path("buildType").asText();
        if (!BUILD_TYPE.equals(buildType)) {
            throw unreadable("it records a build of type \"" + buildType + "\"; berth can only do its own builds again");
        }
        JsonNode parameters = definition.path("externalParameters");
        Map<String, String> arguments = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = parameters.path("buildArgs").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            arguments.put(field.getKey(), field.getValue().asText());
        }
        Optional<String> target = parameters.hasNonNull("target") ? Optional.of(parameters.get("target").asText()) : Optional.empty();
        Optional<Instant> epoch = parameters.path("sourceDateEpoch").canConvertToLong()
                ? Optional.of(Instant.ofEpochSecond(parameters.get("sourceDateEpoch").asLong())) : Optional.empty();
        Digest context = null;
        Digest recipe = null;
        List<ResolvedBase> bases = new ArrayList<>();
        for (JsonNode dependency : definition.path("resolvedDependencies")) {
            String name = dependency.path("name").asText();
            String uri = dependency.path("uri").asText();
            Digest digest = digest(dependency.path("digest"));
            if (uri.startsWith(IMAGE_SCHEME)) {
                bases.add(new ResolvedBase(name, uri.substring(IMAGE_SCHEME.length()), digest));
            } else if (name.equals("context")) {
                context = digest;
            } else if (name.equals("recipe")) {
                recipe = digest;
            }
        }
        if (context == null || recipe == null || !parameters.path("recipe").isTextual()) {
            throw unreadable("it does not record the recipe and the context by digest");
        }
        JsonNode run = predicate.path("runDetails");
        return new BuildProvenance(parameters.get("recipe").asText(), recipe, context, arguments, target,
                !parameters.path("network").asText("host").equals("none"), epoch, bases,
                run.path("builder").path("version").path("berth").asText("unknown"),
                instant(run.path("metadata").path("startedOn")), instant(run.path("metadata").path("finishedOn")));
    }

    private static Digest digest(JsonNode digests) {
        Iterator<Map.Entry<String, JsonNode>> fields = digests.fields();
        if (!fields.hasNext()) {
            throw unreadable("a dependency has no digest");
        }
        Map.Entry<String, JsonNode> first = fields.next();
        try {
            return Digest.parse(first.getKey() + ":" + first.getValue().asText());
        } catch (BerthException e) {
            throw unreadable("a dependency's digest is not one: " + e.getMessage());
        }
    }

    private static Instant instant(JsonNode text) {
        try {
            return Instant.parse(text.asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static BerthException unreadable(String why) {
        return new BerthException("PROVENANCE_UNREADABLE", "the build provenance cannot be used: " + why);
    }
}
