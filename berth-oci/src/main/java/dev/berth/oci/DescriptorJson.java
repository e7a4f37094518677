package dev.berth.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@link Descriptor}s and {@link Platform}s through {@link JsonStreams}, field for field as the
 * OCI image-spec names them. Unknown fields are skipped, as the spec asks of readers.
 */
public final class DescriptorJson {
    private DescriptorJson() {
    }

    /** A descriptor, or null for JSON null; {@code what} names it in errors. */
    public static Descriptor read(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        var fields = new Object() {
            String mediaType;
            String digest;
            long size;
            List<String> urls;
            Map<String, String> annotations;
            String data;
            Platform platform;
            String artifactType;
        };
        JsonStreams.readObject(parser, what, (name, value) -> {
            switch (name) {
                case "mediaType" -> fields.mediaType = JsonStreams.string(value, what + ".mediaType");
                case "digest" -> fields.digest = JsonStreams.string(value, what + ".digest");
                case "size" -> fields.size = JsonStreams.integer(value, what + ".size");
                case "urls" -> fields.urls = JsonStreams.strings(value, what + ".urls");
                case "annotations" -> fields.annotations = JsonStreams.stringMap(value, what + ".annotations");
                case "data" -> fields.data = JsonStreams.string(value, what + ".data");
                case "platform" -> fields.platform = readPlatform(value, what + ".platform");
                case "artifactType" -> fields.artifactType = JsonStreams.string(value, what + ".artifactType");
                default -> value.skipChildren();
            }
        });
        Digest digest;
        try {
            digest = fields.digest == null ? null : Digest.parse(fields.digest);
        } catch (BerthException e) {
            throw new InvalidImageException(what + " has an " + e.getMessage(), e);
        }
        return new Descriptor(fields.mediaType, digest, fields.size, fields.urls, fields.annotations, fields.data,
                fields.platform, fields.artifactType);
    }

    private static Platform readPlatform(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        var fields = new Object() {
            String architecture;
            String os;
            String osVersion;
            List<String> osFeatures;
            String variant;
        };
        JsonStreams.readObject(parser, what, (name, value) -> {
            switch (name) {
                case "architecture" -> fields.architecture = JsonStreams.string(value, what + ".architecture");
                case "os" -> fields.os = JsonStreams.string(value, what + ".os");
                case "os.version" -> fields.osVersion = JsonStreams.string(value, what + ".os.version");
                case "os.features" -> fields.osFeatures = JsonStreams.strings(value, what + ".os.features");
                case "variant" -> fields.variant = JsonStreams.string(value, what + ".variant");
                default -> value.skipChildren();
            }
        });
        return new Platform(fields.architecture, fields.os, fields.osVersion, fields.osFeatures, fields.variant);
    }

    /** Writes the descriptor as an object, leaving out empty optional fields. */
    public static void write(JsonGenerator generator, Descriptor descriptor) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("mediaType", descriptor.mediaType());
        generator.writeStringField("digest", descriptor.digest().toString());
        generator.writeNumberField("size", descriptor.size());
        JsonStreams.writeIfPresent(generator, "urls", descriptor.urls());
        JsonStreams.writeIfPresent(generator, "annotations", descriptor.annotations());
        JsonStreams.writeIfPresent(generator, "data", descriptor.data());
        Platform platform = descriptor.platform();
        if (platform != null) {
            generator.writeObjectFieldStart("platform");
            JsonStreams.writeIfPresent(generator, "architecture", platform.architecture());
            JsonStreams.writeIfPresent(generator, "os", platform.os());
            JsonStreams.writeIfPresent(generator, "os.version", platform.osVersion());
            JsonStreams.writeIfPresent(generator, "os.features", platform.osFeatures());
            JsonStreams.writeIfPresent(generator, "variant", platform.variant());
            generator.writeEndObject();
        }
        JsonStreams.writeIfPresent(generator, "artifactType", descriptor.artifactType());
        generator.writeEndObject();
    }
}
