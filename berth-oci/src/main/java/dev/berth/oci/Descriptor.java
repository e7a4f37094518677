package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** Points at content: its media type, digest and size, plus optional annotations and platform. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        String data,
        Platform platform,
        String artifactType) {

    public Descriptor {
        if (mediaType == null || mediaType.isEmpty()) {
            throw new InvalidImageException("a descriptor has no mediaType");
        }
        if (digest == null) {
            throw new InvalidImageException("a descriptor of type " + mediaType + " has no digest");
        }
        if (size < 0) {
            throw new InvalidImageException("the descriptor of " + digest + " has a negative size");
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, data, platform, artifactType);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, data, newPlatform, artifactType);
    }
}
