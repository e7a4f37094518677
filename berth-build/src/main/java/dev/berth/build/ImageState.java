package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image a stage is making: its config (the base's, with what the recipe set so far; fields
 * berth does not know are kept), its layers and their diff IDs, and its history.
 */
final class ImageState {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ObjectNode config;
    private final List<Descriptor> layers;
    private final List<Digest> diffIds;
    private final ArrayNode history;

    private ImageState(ObjectNode config, List<Descriptor> layers, List<Digest> diffIds, ArrayNode history) {
        this.config = config;
        this.layers = new ArrayList<>(layers);
        this.diffIds = new ArrayList<>(diffIds);
        this.history = history;
    }

    static ImageState scratch() {
        ObjectNode config = Json.mapper().createObjectNode();
        Platform host = Platform.host();
        config.put("architecture", host.architecture()).put("os", host.os());
        if (host.variant() != null) {
            config.put("variant", host.variant());
        }
        config.putObject("config").putArray("Env").add("PATH=" + DEFAULT_PATH);
        return new ImageState(config, List.of(), List.of(), config.arrayNode());
    }

    /** From a base image: its config document and layers, layer media types in OCI's words. */
    static ImageState from(byte[] configBytes, List<Descriptor> baseLayers) {
        ObjectNode config = (ObjectNode) Json.tree(configBytes, "base image config");
        List<Digest> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(Digest.parse(id.asText())));
        ArrayNode history = config.has("history") && config.get("history").isArray() ? (ArrayNode) config.get("history")
                : config.arrayNode();
        if (!config.path("config").isObject()) {
            config.putObject("config");
        }
        List<Descriptor> layers = baseLayers.stream().map(ImageState::asOciLayer).toList();
        return new ImageState(config, layers, diffIds, history);
    }

    /** A stage that starts FROM an earlier stage starts from a copy of its image. */
    ImageState copy() {
        return new ImageState(config.deepCopy(), layers, diffIds, history.deepCopy());
    }

    private static Descriptor asOciLayer(Descriptor layer) {
        String mediaType = switch (layer.mediaType()) {
            case MediaType.DOCKER_LAYER_GZIP -> MediaType.OCI_LAYER_GZIP;
            case MediaType.DOCKER_LAYER -> MediaType.OCI_LAYER;
            case MediaType.DOCKER_LAYER_FOREIGN_GZIP -> MediaType.OCI_LAYER_NONDISTRIBUTABLE_GZIP;
            default -> layer.mediaType();
        };
        return new Descriptor(mediaType, layer.digest(), layer.size(), layer.urls(), layer.annotations(), null, null, null);
    }

    private ObjectNode container() {
        return (ObjectNode) config.get("config");
    }

    /** The environment as an ordered map (the image's, then what ENV set). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        container().path("Env").forEach(entry -> {
            String text = entry.asText();
            int equals = text.indexOf('=');
            environment.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
        });
        return environment;
    }

    void setEnvironment(String name, String value) {
        Map<String, String> environment = environment();
        environment.put(name, value);
        ArrayNode env = container().putArray("Env");
        environment.forEach((key, val) -> env.add(key + "=" + val));
    }

    String workingDirectory() {
        String dir = container().path("WorkingDir").asText("");
        return dir.isEmpty() ? "/" : dir;
    }

    void setWorkingDirectory(String dir) {
        container().put("WorkingDir", dir);
    }

    String user() {
        return container().path("User").asText("");
    }

    void setUser(String user) {
        container().put("User", user);
    }

    List<String> shell() {
        JsonNode shell = container().path("Shell");
        if (!shell.isArray() || shell.isEmpty()) {
            return DEFAULT_SHELL;
        }
        List<String> words = new ArrayList<>();
        shell.forEach(word -> words.add(word.asText()));
        return words;
    }

    void setList(String field, List<String> values) {
        ArrayNode array = container().putArray(field);
        values.forEach(array::add);
    }

    void clear(String field) {
        container().remove(field);
    }

    void setString(String field, String value) {
        container().put(field, value);
    }

    void addLabel(String key, String value) {
        ObjectNode labels = container().path("Labels").isObject() ? (ObjectNode) container().get("Labels") : container().putObject("Labels");
        labels.put(key, value);
    }

    /** Adds a key of an object-valued field ({@code ExposedPorts}, {@code Volumes}), as Docker writes them: {@code {}}. */
    void addMember(String field, String key) {
        ObjectNode members = container().path(field).isObject() ? (ObjectNode) container().get(field) : container().putObject(field);
        members.putObject(key);
    }

    void setHealthcheck(ObjectNode healthcheck) {
        container().set("Healthcheck", healthcheck);
    }

    /**
     * The base's ONBUILD triggers, which the stage built on it runs first; the new image keeps
     * none of them, as with Docker (they are the base's instructions to its children only).
     */
    List<String> takeOnBuild() {
        List<String> triggers = new ArrayList<>();
        container().path("OnBuild").forEach(trigger -> triggers.add(trigger.asText()));
        container().remove("OnBuild");
        return triggers;
    }

    void addOnBuild(String trigger) {
        ArrayNode triggers = container().path("OnBuild").isArray() ? (ArrayNode) container().get("OnBuild") : container().putArray("OnBuild");
        triggers.add(trigger);
    }

    /** A step's record in the history; {@code layer} when it made one. */
    void record(String createdBy, Instant created, Optional<LayerOutput> layer) {
        ObjectNode entry = history.addObject().put("created", created.toString()).put("created_by", createdBy);
        if (layer.isPresent()) {
            layers.add(layer.get().descriptor());
            diffIds.add(layer.get().diffId());
        } else {
            entry.put("empty_layer", true);
        }
    }

    List<Descriptor> layers() {
        return List.copyOf(layers);
    }

    /** The config document, with {@code created} and the layer list as they are now. */
    byte[] configBytes(Instant created) {
        ObjectNode document = config.deepCopy();
        document.put("created", created.toString());
        ObjectNode rootfs = document.putObject("rootfs").put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(id -> ids.add(id.toString()));
        document.set("history", history.deepCopy());
        return Json.write(document);
    }

    Platform platform() {
        return Platform.of(config.path("os").asText(null), config.path("architecture").asText(null), config.path("variant").asText(null));
    }

    /** A layer a step wrote. */
    record LayerOutput(Descriptor descriptor, Digest diffId) {
    }
}
