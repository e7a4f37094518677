package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.JsonStreams;
import dev.berth.oci.Platform;

import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI or Docker image config that berth acts on. The config blob itself is
 * always kept as received; this is a read-only view of it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        String created,
        String author,
        String architecture,
        String os,
        String variant,
        ContainerConfig config,
        RootFs rootfs,
        List<History> history) {

    public ImageConfig {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static ImageConfig parse(byte[] bytes) {
        return Json.read(bytes, ImageConfig.class, "image config");
    }

    /**
     * Only the {@code created} field, read without the data binder: listing images needs nothing
     * else, and binding whole configs made {@code berth images} take 0.4 s instead of 0.15 s.
     */
    public static String created(byte[] bytes) {
        String[] created = {null};
        JsonStreams.readDocument(bytes, "image config", (name, value) -> {
            if (name.equals("created")) {
                created[0] = JsonStreams.string(value, "image config.created");
            } else {
                value.skipChildren();
            }
        });
        return created[0];
    }

    public Platform platform() {
        return Platform.of(os, architecture, variant);
    }

    /** The process defaults an image asks for; Docker's capitalised field names. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContainerConfig(
            @JsonProperty("User") String user,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("StopSignal") String stopSignal) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {
    }
}
