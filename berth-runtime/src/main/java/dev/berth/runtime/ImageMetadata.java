package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidImageException;
import dev.berth.oci.Json;
import dev.berth.oci.image.ImageConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What a runnable image file says about itself: berth writes it into every squashfs it makes as
 * {@code /.berth/image.json}, so a converted file carries its entrypoint, command and environment.
 */
public record ImageMetadata(String name, Digest manifest, ImageConfig config) {
    public static final String PATH_IN_IMAGE = ".berth/image.json";
    private static final int MAX_SIZE = 4 * 1024 * 1024;

    public byte[] toJson(byte[] configBytes) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("manifest", manifest.toString());
        node.set("config", Json.tree(configBytes, "image config"));
        return Json.write(node);
    }

    /** Reads the metadata from a mounted or extracted image root, never following a link out of it. */
    public static ImageMetadata readFrom(Path root) throws IOException {
        Path file = root.resolve(PATH_IN_IMAGE);
        if (!Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidImageException("this image file was not made by berth (it has no /" + PATH_IN_IMAGE
                    + "); convert the image with 'berth convert'");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length > MAX_SIZE) {
            throw new InvalidImageException("/" + PATH_IN_IMAGE + " in the image is larger than " + MAX_SIZE + " bytes");
        }
        JsonNode tree = Json.tree(bytes, "berth image metadata");
        JsonNode config = tree.get("config");
        if (config == null || !tree.hasNonNull("manifest")) {
            throw new InvalidImageException("/" + PATH_IN_IMAGE + " in the image is incomplete");
        }
        return new ImageMetadata(tree.path("name").asText(""), Digest.parse(tree.get("manifest").asText()),
                ImageConfig.parse(Json.write(config)));
    }
}
