package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.layer.LayerWriter;
import dev.berth.runtime.cache.CacheShelf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The results of earlier build steps, shared by every build of the user: a step is reused when
 * its key is the same, and the key covers everything the step's result depends on (the key of
 * the step before it, back to the base image's digest; the instruction; the build arguments in
 * scope; the content of the files COPY and ADD read). An entry holds the layer the step wrote
 * (if any) and who owns what after it; it is written completely or not at all, and only after
 * the step succeeded.
 */
final class StepCache {
    /** A step's remembered result, and the use that keeps it while the build runs. */
    record Entry(Optional<LayerWriter.Written> layer, Map<String, LayerWriter.Owner> owners, CacheShelf.Use use) {
    }

    private static final String LAYER = "layer.tar.gz";
    private static final String RESULT = "result.json";

    private final Path directory;

    StepCache(Path directory) {
        this.directory = directory;
    }

    /** The key of a step: the key before it and what the step is. */
    static String key(String parent, String... parts) {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newMessageDigest();
        sha256.update(parent.getBytes(StandardCharsets.UTF_8));
        for (String part : parts) {
            sha256.update((byte) 0);
            sha256.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * The step's result, in use until the entry's use is closed: its layer is read again when the
     * image is committed, and another build's clean-up must not take it meanwhile.
     */
    Optional<Entry> find(String key) throws IOException {
        Path entry = directory.resolve(key);
        if (!Files.isRegularFile(entry.resolve(RESULT))) {
            return Optional.empty();
        }
        CacheShelf.Use use = CacheShelf.use(entry);
        try {
            Optional<Entry> found = read(entry, use);
            if (found.isEmpty()) {
                use.close();
            }
            return found;
        } catch (IOException | RuntimeException e) {
            use.close();
            throw e;
        }
    }

    /** Checks again under the use: a clean-up may have removed the entry before it was taken. */
    private static Optional<Entry> read(Path entry, CacheShelf.Use use) throws IOException {
        Path result = entry.resolve(RESULT);
        if (!Files.isRegularFile(result)) {
            return Optional.empty();
        }
        JsonNode json = Json.tree(Files.readAllBytes(result), "build cache entry " + entry);
        Map<String, LayerWriter.Owner> owners = new HashMap<>();
        json.path("owners").properties().forEach(owner -> owners.put(owner.getKey(),
                new LayerWriter.Owner(owner.getValue().path("uid").asLong(), owner.getValue().path("gid").asLong())));
        Optional<LayerWriter.Written> layer = Optional.empty();
        if (json.has("layer")) {
            Path file = entry.resolve(LAYER);
            Descriptor descriptor = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(json.path("layer").path("digest").asText()),
                    json.path("layer").path("size").asLong());
            if (!Files.isRegularFile(file) || Files.size(file) != descriptor.size()) {
                return Optional.empty();
            }
            layer = Optional.of(new LayerWriter.Written(file, descriptor, Digest.parse(json.path("layer").path("diffId").asText())));
        }
        return Optional.of(new Entry(layer, owners, use));
    }

    /** The entries, for listing and pruning: each is named by its key. */
    static CacheShelf shelf(Path directory) {
        return new CacheShelf(directory, name -> name.matches("[0-9a-f]{64}"));
    }

    void store(String key, Optional<LayerWriter.Written> layer, Map<String, LayerWriter.Owner> owners) throws IOException {
        Files.createDirectories(directory);
        Path staging = Files.createTempDirectory(directory, ".entry-");
        ObjectNode json = Json.mapper().createObjectNode();
        if (layer.isPresent()) {
            Files.copy(layer.get().file(), staging.resolve(LAYER));
            json.putObject("layer").put("digest", layer.get().descriptor().digest().toString())
                    .put("size", layer.get().descriptor().size()).put("diffId", layer.get().diffId().toString());
        }
        ObjectNode ownerJson = json.putObject("owners");
        owners.forEach((path, owner) -> ownerJson.putObject(path).put("uid", owner.uid()).put("gid", owner.gid()));
        Files.write(staging.resolve(RESULT), Json.write(json));
        try {
            Files.move(staging, directory.resolve(key), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException anotherBuildStoredItFirst) {
            try (var files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(staging);
        }
    }
}
