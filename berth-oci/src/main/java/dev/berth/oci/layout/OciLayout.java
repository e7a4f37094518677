package dev.berth.oci.layout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.Json;
import dev.berth.oci.NotFoundException;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.transfer.ImageSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI image layout directory, as umoci, skopeo ({@code oci:DIR}) and buildah write it:
 * {@code oci-layout}, {@code index.json} and {@code blobs/ALG/HEX}.
 */
public final class OciLayout implements ImageSource {
    /** The tag annotation of index.json entries, as the image-spec defines it. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The full image name, as containerd and nerdctl record it beside the tag. */
    public static final String IMAGE_NAME = "io.containerd.image.name";
    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String LAYOUT_VERSION = "1.0.0";

    private final Path dir;
    private final ManifestBytes index;

    private OciLayout(Path dir, ManifestBytes index) {
        this.dir = dir;
        this.index = index;
    }

    /** True when {@code dir} looks like an OCI layout (it has an {@code oci-layout} file). */
    public static boolean isLayout(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(LAYOUT_FILE));
    }

    public static OciLayout open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotFoundException("no OCI layout directory at " + dir);
        }
        JsonNode marker;
        try {
            marker = Json.tree(Files.readAllBytes(dir.resolve(LAYOUT_FILE)), dir.resolve(LAYOUT_FILE).toString());
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(dir + " is not an OCI layout: it has no oci-layout file");
        }
        JsonNode version = marker.get("imageLayoutVersion");
        if (version == null || !version.isTextual() || !version.textValue().startsWith("1.")) {
            throw new InvalidImageException(dir + "/oci-layout: unsupported imageLayoutVersion " + version);
        }
        byte[] indexBytes;
        try {
            indexBytes = Files.readAllBytes(dir.resolve(INDEX_FILE));
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(dir + " is not an OCI layout: it has no index.json");
        }
        ManifestBytes index;
        try {
            index = ManifestBytes.parse(indexBytes, dev.berth.oci.MediaType.OCI_INDEX);
        } catch (InvalidImageException e) {
            throw new InvalidImageException(dir + "/index.json: " + e.getMessage(), e);
        }
        if (!index.isIndex()) {
            throw new InvalidImageException(dir + "/index.json is not an image index");
        }
        return new OciLayout(dir, index);
    }

    /** The entries of index.json: the images the layout holds, with their name annotations. */
    public List<Descriptor> entries() {
        return index.index().manifests();
    }

    /**
     * The name an entry carries: the full name when containerd's annotation or a fully
     * qualified ref.name gives one, else {@code fallbackName} tagged with ref.name.
     */
    public static Reference nameOf(Descriptor entry, String fallbackName) {
        String fullName = entry.annotations().get(IMAGE_NAME);
        if (fullName != null) {
            return Reference.parse(fullName);
        }
        String refName = entry.annotations().get(REF_NAME);
        if (refName == null || refName.isEmpty()) {
            return Reference.parse(fallbackName);
        }
        if (refName.contains("/") || refName.contains("@")) {
            return Reference.parse(refName);
        }
        return Reference.parseNormalized(fallbackName).withTag(refName);
    }

    /** The entry whose ref.name is {@code tag}, or the only entry when {@code tag} is null. */
    public Descriptor entry(String tag) {
        List<Descriptor> entries = entries();
        if (tag == null) {
            if (entries.size() != 1) {
                throw new InvalidImageException(dir + " holds " + entries.size() + " images; name one as " + dir + ":TAG");
            }
            return entries.getFirst();
        }
        return entries.stream().filter(e -> tag.equals(e.annotations().get(REF_NAME))).findFirst()
                .orElseThrow(() -> new NotFoundException("no image tagged \"" + tag + "\" in the OCI layout " + dir));
    }

    public Path dir() {
        return dir;
    }

    @Override
    public ManifestBytes manifest(Descriptor descriptor) throws IOException {
        return ManifestBytes.parseVerified(Files.readAllBytes(blobPath(descriptor.digest())), descriptor.mediaType(),
                descriptor.digest(), "manifest " + descriptor.digest() + " in " + dir);
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        return Files.newInputStream(blobPath(descriptor.digest()));
    }

    /** A blob's path, refusing a symbolic link that could point outside the layout. */
    private Path blobPath(Digest digest) throws IOException {
        Path path = blobFile(dir, digest);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(path)) {
                throw new InvalidImageException("blob " + digest + " in " + dir + " is a symbolic link; refusing to follow it");
            }
            throw new InvalidImageException("the OCI layout " + dir + " names blob " + digest + " but does not contain it");
        }
        return path;
    }

    static Path blobFile(Path dir, Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex());
    }
}
