package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.oci.Descriptor;

import java.util.List;
import java.util.Map;

/** An OCI image index or Docker manifest list: manifests for several platforms or artifacts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageIndex(
        int schemaVersion,
        String mediaType,
        String artifactType,
        List<Descriptor> manifests,
        Descriptor subject,
        Map<String, String> annotations) {

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex of(String mediaType, List<Descriptor> manifests) {
        return new ImageIndex(2, mediaType, null, manifests, null, null);
    }
}
