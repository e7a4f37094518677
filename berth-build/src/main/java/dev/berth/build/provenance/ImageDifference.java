package dev.berth.build.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.image.ManifestBytes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a rebuilt image first departs from the image it should equal: the first layer that
 * differs, named by the step that made it, or else the config fields that differ.
 */
public final class ImageDifference {
    private ImageDifference() {
    }

    /** Empty when the two manifests are the same; else one sentence saying what differs first. */
    public static Optional<String> between(ManifestBytes image, JsonNode imageConfig, ManifestBytes rebuilt, JsonNode rebuiltConfig) {
        if (image.digest().equals(rebuilt.digest())) {
            return Optional.empty();
        }
        List<Descriptor> layers = image.manifest().layers();
        List<Descriptor> rebuiltLayers = rebuilt.manifest().layers();
        List<String> steps = layerSteps(imageConfig);
        // a base image may have recorded no history for its layers; the newest steps are the last entries
        int unrecorded = layers.size() - steps.size();
        for (int i = 0; i < Math.min(layers.size(), rebuiltLayers.size()); i++) {
            if (!layers.get(i).digest().equals(rebuiltLayers.get(i).digest())) {
                int entry = i - unrecorded;
                String step = entry >= 0 && entry < steps.size() ? " (made by " + steps.get(entry) + ")" : "";
                return Optional.of("layer " + (i + 1) + " of " + layers.size() + step + " differs: the image has "
                        + layers.get(i).digest() + ", the rebuild made " + rebuiltLayers.get(i).digest());
            }
        }
        if (layers.size() != rebuiltLayers.size()) {
            return Optional.of("the image has " + layers.size() + " layers, the rebuild " + rebuiltLayers.size());
        }
        List<String> fields = differingFields(imageConfig, rebuiltConfig);
        if (!fields.isEmpty()) {
            return Optional.of("the layers are the same; the config differs in " + String.join(", ", fields));
        }
        return Optional.of("the layers and config are the same; the manifest differs (" + image.digest() + " against "
                + rebuilt.digest() + ")");
    }

    /** The history's created_by of each step that made a layer, in layer order. */
    private static List<String> layerSteps(JsonNode config) {
        List<String> steps = new ArrayList<>();
        for (JsonNode entry : config.path("history")) {
            if (!entry.path("empty_layer").asBoolean(false)) {
                steps.add(entry.path("created_by").asText("an unrecorded step"));
            }
        }
        return steps;
    }

    /** Top-level fields, and those of {@code config}, whose values differ. */
    private static List<String> differingFields(JsonNode a, JsonNode b) {
        List<String> fields = new ArrayList<>();
        for (String name : names(a, b)) {
            if (name.equals("config")) {
                for (String inner : names(a.path("config"), b.path("config"))) {
                    if (!a.path("config").path(inner).equals(b.path("config").path(inner))) {
                        fields.add("config." + inner);
                    }
                }
            } else if (!a.path(name).equals(b.path(name))) {
                fields.add(name);
            }
        }
        return fields;
    }

    private static TreeSet<String> names(JsonNode a, JsonNode b) {
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode node : List.of(a, b)) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
        }
        return names;
    }
}
