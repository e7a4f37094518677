package dev.berth.oci.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.Reference;

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

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(Descriptor root, String taggedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(int format, Map<String, Entry> images) {
    }

    Map<String, Entry> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        Document document = Json.read(bytes, Document.class, "the store's name list " + path);
        if (document.format() != FORMAT) {
            throw new IOException(path + " has format " + document.format() + "; this berth reads format " + FORMAT);
        }
        return new TreeMap<>(document.images() == null ? Map.of() : document.images());
    }

    void write(Map<String, Entry> images) throws IOException {
        AtomicFiles.write(path, Json.write(new Document(FORMAT, new TreeMap<>(images))));
    }

    List<ImageRecord> records() throws IOException {
        List<ImageRecord> records = new ArrayList<>();
        read().forEach((name, entry) -> records.add(new ImageRecord(Reference.parseNormalized(name), entry.root(), Instant.parse(entry.taggedAt()))));
        return records;
    }
}
