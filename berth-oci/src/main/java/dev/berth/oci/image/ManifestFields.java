package dev.berth.oci.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.Descriptor;
import dev.berth.oci.DescriptorJson;
import dev.berth.oci.JsonStreams;

import java.util.List;
import java.util.Map;

/**
 * The fields of a manifest or index document, read in one streaming pass: the union of both
 * shapes, since which one a document is may only be known from a field or a header.
 *
 * @param schemaVersion null when absent or not an integer
 * @param layers        null when absent or JSON null
 * @param manifests     null when absent or JSON null
 */
record ManifestFields(Integer schemaVersion, String mediaType, String artifactType, Descriptor config,
                      List<Descriptor> layers, List<Descriptor> manifests, Descriptor subject,
                      Map<String, String> annotations, boolean hasConfigField, boolean hasManifestsField) {

    static ManifestFields read(byte[] bytes) {
        var fields = new Object() {
            Integer schemaVersion;
            String mediaType;
            String artifactType;
            Descriptor config;
            List<Descriptor> layers;
            List<Descriptor> manifests;
            Descriptor subject;
            Map<String, String> annotations;
            boolean hasConfig;
            boolean hasManifests;
        };
        JsonStreams.readDocument(bytes, "manifest", (name, value) -> {
            switch (name) {
                case "schemaVersion" -> {
                    fields.schemaVersion = value.currentToken() == JsonToken.VALUE_NUMBER_INT
                            && value.getNumberType() == JsonParser.NumberType.INT ? value.getIntValue() : null;
                    value.skipChildren(); // an object or array here must not be read as top-level fields
                }
                case "mediaType" -> fields.mediaType = JsonStreams.string(value, "manifest.mediaType");
                case "artifactType" -> fields.artifactType = JsonStreams.string(value, "manifest.artifactType");
                case "config" -> {
                    fields.hasConfig = true;
                    fields.config = DescriptorJson.read(value, "manifest.config");
                }
                case "layers" -> fields.layers = JsonStreams.array(value, "manifest.layers",
                        layer -> DescriptorJson.read(layer, "manifest.layers[]"));
                case "manifests" -> {
                    fields.hasManifests = true;
                    fields.manifests = JsonStreams.array(value, "index.manifests",
                            entry -> DescriptorJson.read(entry, "index.manifests[]"));
                }
                case "subject" -> fields.subject = DescriptorJson.read(value, "manifest.subject");
                case "annotations" -> fields.annotations = JsonStreams.stringMap(value, "manifest.annotations");
                default -> value.skipChildren();
            }
        });
        return new ManifestFields(fields.schemaVersion, fields.mediaType, fields.artifactType, fields.config,
                fields.layers, fields.manifests, fields.subject, fields.annotations, fields.hasConfig, fields.hasManifests);
    }

    ImageManifest manifest() {
        return new ImageManifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
    }

    ImageIndex index() {
        return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
    }
}
