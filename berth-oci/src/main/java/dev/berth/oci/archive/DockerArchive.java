package dev.berth.oci.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.DigestingInputStream;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layer.Compression;
import dev.berth.oci.layer.LayerPaths;
import dev.berth.oci.transfer.ImageSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A docker-archive tar, as {@code docker save} and {@code skopeo copy ... docker-archive:}
 * write it: {@code manifest.json} listing each image's config file, tags and layer tars. The
 * format keeps no manifest, so berth describes each image with an OCI manifest it creates; the
 * config and layer digests, which are the image's identity, stay as they were.
 */
public final class DockerArchive implements ImageSource {
    static final String MANIFEST_FILE = "manifest.json";

    /** One entry of manifest.json. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArchiveEntry(
            @JsonProperty("Config") String config,
            @JsonProperty("RepoTags") List<String> repoTags,
            @JsonProperty("Layers") List<String> layers) {
    }

    /** An image found in the archive: its created manifest and the names it was saved under. */
    public record ArchivedImage(ManifestBytes manifest, List<String> repoTags) {
    }

    private final Path file;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entriesByName = new HashMap<>();
    private final Map<Digest, TarArchiveEntry> blobs = new HashMap<>();
    private final Map<Digest, ManifestBytes> manifests = new HashMap<>();
    private final List<ArchivedImage> images = new ArrayList<>();

    private DockerArchive(Path file, TarFile tar) {
        this.file = file;
        this.tar = tar;
    }

    /** Opens an archive and hashes its contents, so that every blob has a digest before it is copied. */
    public static DockerArchive open(Path file) throws IOException {
        TarFile tar;
        try {
            tar = new TarFile(file);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException(file + " is not a readable tar archive: " + e.getMessage(), e);
        }
        DockerArchive archive = new DockerArchive(file, tar);
        try {
            archive.index();
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
        return archive;
    }

    private void index() throws IOException {
        for (TarArchiveEntry entry : tar.getEntries()) {
            entriesByName.put(LayerPaths.clean(entry.getName(), file.toString()), entry);
        }
        TarArchiveEntry manifestEntry = entriesByName.get(MANIFEST_FILE);
        if (manifestEntry == null) {
            throw new InvalidImageException(file + " is not a docker-archive: it has no manifest.json");
        }
        List<ArchiveEntry> entries;
        try {
            entries = Json.mapper().readValue(readSmall(manifestEntry), new TypeReference<List<ArchiveEntry>>() {
            });
        } catch (IOException e) {
            throw new InvalidImageException(file + ": manifest.json is not valid JSON: " + e.getMessage(), e);
        }
        if (entries == null || entries.isEmpty()) {
            throw new InvalidImageException(file + ": manifest.json lists no images");
        }
        for (ArchiveEntry entry : entries) {
            images.add(describe(entry));
        }
    }

    private ArchivedImage describe(ArchiveEntry entry) throws IOException {
        if (entry.config() == null || entry.layers() == null) {
            throw new InvalidImageException(file + ": an entry of manifest.json lacks Config or Layers");
        }
        TarArchiveEntry configEntry = resolve(entry.config());
        byte[] config = readSmall(configEntry);
        Json.tree(config, file + ": image config " + entry.config());
        Digest configDigest = Digest.of(config);
        blobs.put(configDigest, configEntry);
        List<Descriptor> layers = new ArrayList<>();
        for (String layerPath : entry.layers()) {
            TarArchiveEntry layerEntry = resolve(layerPath);
            LayerFacts facts = hash(layerEntry, layerPath);
            blobs.put(facts.digest, layerEntry);
            layers.add(Descriptor.of(facts.compression.ociLayerMediaType(), facts.digest, layerEntry.getSize()));
        }
        ManifestBytes manifest = ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST,
                Descriptor.of(MediaType.OCI_CONFIG, configDigest, config.length), layers));
        manifests.put(manifest.digest(), manifest);
        return new ArchivedImage(manifest, entry.repoTags() == null ? List.of() : List.copyOf(entry.repoTags()));
    }

    private record LayerFacts(Digest digest, Compression compression) {
    }

    private LayerFacts hash(TarArchiveEntry entry, String path) throws IOException {
        try (InputStream raw = new BufferedInputStream(tar.getInputStream(entry), 64 * 1024)) {
            Compression compression = Compression.detect(raw);
            DigestingInputStream digesting = new DigestingInputStream(raw, DigestAlgorithm.SHA256);
            digesting.transferTo(OutputStream.nullOutputStream());
            if (digesting.count() != entry.getSize()) {
                throw new InvalidImageException(file + " is truncated: layer " + path + " has " + digesting.count()
                        + " of its " + entry.getSize() + " bytes");
            }
            return new LayerFacts(digesting.digest(), compression);
        }
    }

    /** Finds a file in the archive, following symbolic links that stay inside it (newer docker save writes them). */
    private TarArchiveEntry resolve(String path) {
        String current = LayerPaths.clean(path, file.toString());
        for (int hops = 0; hops < 16; hops++) {
            TarArchiveEntry entry = entriesByName.get(current);
            if (entry == null) {
                throw new InvalidImageException(file + ": manifest.json names " + path + ", which the archive does not contain");
            }
            if (!entry.isSymbolicLink()) {
                if (!entry.isFile()) {
                    throw new InvalidImageException(file + ": " + path + " is not a regular file");
                }
                return entry;
            }
            int slash = current.lastIndexOf('/');
            String base = slash < 0 ? "" : current.substring(0, slash + 1);
            String target = entry.getLinkName();
            current = LayerPaths.clean(target.startsWith("/") ? target : base + target, file.toString());
        }
        throw new InvalidImageException(file + ": " + path + " is a chain of too many symbolic links");
    }

    private byte[] readSmall(TarArchiveEntry entry) throws IOException {
        if (entry.getSize() > ManifestBytes.MAX_SIZE) {
            throw new InvalidImageException(file + ": " + entry.getName() + " is too large (" + entry.getSize() + " bytes)");
        }
        try (InputStream in = tar.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != entry.getSize()) {
                throw new InvalidImageException(file + " is truncated at " + entry.getName());
            }
            return bytes;
        }
    }

    public List<ArchivedImage> images() {
        return List.copyOf(images);
    }

    @Override
    public ManifestBytes manifest(Descriptor descriptor) {
        ManifestBytes manifest = manifests.get(descriptor.digest());
        if (manifest == null) {
            throw new NotFoundException("no manifest " + descriptor.digest() + " in " + file);
        }
        return manifest;
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        TarArchiveEntry entry = blobs.get(descriptor.digest());
        if (entry == null) {
            throw new NotFoundException("no blob " + descriptor.digest() + " in " + file);
        }
        if (entry.isSparse()) {
            throw new InvalidImageException(file + ": " + entry.getName() + " is a sparse tar entry, which no docker-archive layer is");
        }
        // Not tar.getInputStream: blobs are copied in parallel, and its streams share one position.
        return EntryInputStream.open(file, entry.getDataOffset(), entry.getSize());
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
