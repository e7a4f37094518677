package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.commands.access.RegistryTrust;
import dev.berth.cli.output.GoTemplate;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.Registries;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;

import java.io.IOException;
import java.io.InputStream;

/** {@code berth inspect}: an image's manifest, config and layers as JSON, from the local store or ({@code docker://}) a registry. */
public final class InspectCommand extends StoreCommand {
    private static final String REMOTE = "docker://";
    private static final int MAX_CONFIG_SIZE = 8 << 20;

    private final RegistryFlags registryFlags = new RegistryFlags();
    private String reference;
    private String platform;
    private String format;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show an image's manifest, config and layer list as JSON; from a berth registry, also its trust state.")
                .parameter("REF", "Image name, name@digest, or digest (prefix) in the local store; docker://REF in its registry.",
                        value -> reference = value)
                .option("--platform", "OS/ARCH[/VARIANT]",
                        "For a multi-platform image, the platform whose config to show (default: this machine's).",
                        value -> platform = value)
                .option("-f, --format", "TEMPLATE", "Print through a Go template instead, as docker inspect --format: "
                        + "berth's fields ({{.digest}}, {{.config.config.Env}}) and Docker's names for them ({{.Id}}, "
                        + "{{.Config.Env}}, {{.Architecture}}, {{.Os}}, {{.Created}}, {{.RepoTags}}).", value -> format = value);
        registryFlags.declare(syntax);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        if (reference.startsWith(REMOTE)) {
            return inspectRemote(Reference.parse(reference.substring(REMOTE.length())));
        }
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
                print(result);
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
        putLayers(result, image);
        print(result);
        return 0;
    }

    /** The same report for an image in its registry: manifest and config are fetched, layers are only listed. */
    private int inspectRemote(Reference name) throws IOException {
        ObjectNode result = Json.mapper().createObjectNode();
        try (Registries registries = registryFlags.registries()) {
            Registries.Resolved resolved = registries.resolve(name);
            ManifestBytes root = resolved.source().manifest(resolved.root());
            result.put("name", name.toString());
            result.put("digest", root.digest().toString());
            result.put("mediaType", root.mediaType());
            result.set("manifest", Json.tree(root.bytesUnsafe(), "manifest"));
            ManifestBytes image = root;
            if (root.isIndex()) {
                Descriptor chosen = ImageCopier.choose(root, platform == null ? Platform.host() : Platform.parse(platform));
                image = resolved.source().manifest(chosen);
                result.put("platformDigest", image.digest().toString());
                result.set("platformManifest", Json.tree(image.bytesUnsafe(), "manifest"));
            }
            Descriptor config = image.manifest().config();
            if (config.size() > MAX_CONFIG_SIZE) {
                throw new BerthException("CONFIG_TOO_LARGE", "the image config of " + name + " is " + config.size()
                        + " bytes, more than any image config berth reads (" + MAX_CONFIG_SIZE + ")");
            }
            byte[] bytes;
            try (InputStream in = resolved.source().blob(config)) {
                bytes = in.readNBytes(MAX_CONFIG_SIZE + 1);
            }
            if (bytes.length != config.size() || !Digest.of(config.digest().algorithm(), bytes).equals(config.digest())) {
                throw new BerthException("DIGEST_MISMATCH", "the image config of " + name + " from its registry is not "
                        + config.digest());
            }
            result.set("config", Json.tree(bytes, "image config"));
            putLayers(result, image);
            RegistryTrust.of(registryFlags, name, root.digest()).ifPresent(trust -> result.set("trust", trust));
        }
        print(result);
        return 0;
    }

    private void print(ObjectNode result) {
        if (format == null) {
            out().println(Json.writePretty(result));
            return;
        }
        ObjectNode view = result.deepCopy();
        JsonNode config = result.path("config");
        view.put("Id", result.path("digest").asText());
        view.putArray("RepoTags").add(result.path("name").asText());
        view.set("Created", config.path("created"));
        view.set("Architecture", config.path("architecture"));
        view.set("Os", config.path("os"));
        view.set("Config", config.path("config"));
        out().println(GoTemplate.parse(format).render(view));
    }

    private static void putLayers(ObjectNode result, ManifestBytes image) {
        ArrayNode layers = result.putArray("layers");
        for (Descriptor layer : image.manifest().layers()) {
            ObjectNode node = layers.addObject();
            node.put("digest", layer.digest().toString());
            node.put("size", layer.size());
            node.put("mediaType", layer.mediaType());
        }
    }
}
