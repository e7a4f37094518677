package dev.berth.oci.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Descriptor;
import dev.berth.oci.DescriptorJson;
import dev.berth.oci.JsonStreams;
import dev.berth.oci.Reference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's names, one JSON file replaced atomically on every change, so a reader always
 * sees a complete version of it without taking a lock.
 */
final class RefsFile {
    private static final int FORMAT = 1;

    private final Path path;

    RefsFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    record Entry(Descriptor root, String taggedAt) {
    }

    Map<String, Entry> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        String what = "the store's name list " + path;
        Map<String, Entry> images = new TreeMap<>();
        long[] format = {-1};
        JsonStreams.readDocument(bytes, what, (field, value) -> {
            switch (field) {
                case "format" -> format[0] = JsonStreams.integer(value, what + ": format");
                case "images" -> {
                    if (value.currentToken() != JsonToken.VALUE_NULL) {
                        JsonStreams.readObject(value, what, (name, entry) -> images.put(name, readEntry(entry, what + ": " + name)));
                    }
                }
                default -> value.skipChildren();
            }
        });
        if (format[0] != FORMAT) {
            throw new IOException(path + " has format " + format[0] + "; this berth reads format " + FORMAT);
        }
        return images;
    }

    private static Entry readEntry(JsonParser parser, String what) throws IOException {
        Descriptor[] root = {null};
        String[] taggedAt = {null};
        JsonStreams.readObject(parser, what, (field, value) -> {
            switch (field) {
                case "root" -> root[0] = DescriptorJson.read(value, what + ".root");
                case "taggedAt" -> taggedAt[0] = JsonStreams.string(value, what + ".taggedAt");
                default -> value.skipChildren();
            }
        });
        return new Entry(root[0], taggedAt[0]);
    }

    /** Only under the store's refs lock, held exclusively: then any other temporary of the file is a killed writer's. */
    void write(Map<String, Entry> images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator generator = JsonStreams.generator(bytes)) {
            generator.writeStartObject();
            generator.writeNumberField("format", FORMAT);
            generator.writeObjectFieldStart("images");
            for (Map.Entry<String, Entry> image : new TreeMap<>(images).entrySet()) {
                generator.writeObjectFieldStart(image.getKey());
                generator.writeFieldName("root");
                DescriptorJson.write(generator, image.getValue().root());
                generator.writeStringField("taggedAt", image.getValue().taggedAt());
                generator.writeEndObject();
            }
            generator.writeEndObject();
            generator.writeEndObject();
        }
        AtomicFiles.removeLeftoversOf(path);
        AtomicFiles.write(path, bytes.toByteArray());
    }

    List<ImageRecord> records() throws IOException {
        List<ImageRecord> records = new ArrayList<>();
        read().forEach((name, entry) -> records.add(new ImageRecord(Reference.parseNormalized(name), entry.root(), Instant.parse(entry.taggedAt()))));
        return records;
    }
}
