package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.oci.Descriptor;

import java.util.List;
import java.util.Map;

/** An OCI image manifest or Docker schema2 manifest: one config and an ordered list of layers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageManifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        List<Descriptor> layers,
        Descriptor subject,
        Map<String, String> annotations) {

    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public static ImageManifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, mediaType, null, config, layers, null, null);
    }
}
