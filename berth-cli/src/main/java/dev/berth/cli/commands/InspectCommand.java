package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;

import java.io.IOException;

/** {@code berth inspect}: an image's manifest, config and layers as JSON. */
public final class InspectCommand extends StoreCommand {
    private String reference;
    private String platform;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show an image's manifest, config and layer list as JSON.")
                .parameter("REF", "Image name, name@digest, or digest (prefix).", value -> reference = value)
                .option("--platform", "OS/ARCH[/VARIANT]",
                        "For a multi-platform image, the platform whose config to show (default: this machine's).",
                        value -> platform = value);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        ImageRecord record = store.require(reference);
        ManifestBytes root = store.manifest(record.root());
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("name", record.name().toString());
        result.put("digest", root.digest().toString());
        result.put("mediaType", root.mediaType());
        result.set("manifest", Json.tree(root.bytesUnsafe(), "manifest"));
        ManifestBytes image = root;
        if (root.isIndex()) {
            Descriptor chosen = ImageCopier.choose(root, platform == null ? Platform.host() : Platform.parse(platform));
            if (!store.hasBlob(chosen.digest())) {
                out().println(Json.writePretty(result));
                return 0;
            }
            image = store.manifest(chosen);
            result.put("platformDigest", image.digest().toString());
            result.set("platformManifest", Json.tree(image.bytesUnsafe(), "manifest"));
        }
        Descriptor config = image.manifest().config();
        if (store.hasBlob(config.digest())) {
            result.set("config", Json.tree(store.readBlob(config.digest()), "image config"));
        }
        ArrayNode layers = result.putArray("layers");
        for (Descriptor layer : image.manifest().layers()) {
            ObjectNode node = layers.addObject();
            node.put("digest", layer.digest().toString());
            node.put("size", layer.size());
            node.put("mediaType", layer.mediaType());
        }
        out().println(Json.writePretty(result));
        return 0;
    }
}
