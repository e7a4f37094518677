package dev.berth.trust;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.ManifestBytes;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cosign's tag scheme: the signatures of manifest {@code sha256:H} are the layers of an image
 * tagged {@code sha256-H.sig} in the same repository, each layer a simple-signing payload with
 * its base64 signature in an annotation.
 */
public final class CosignSignatures {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    /** One signature: the payload's descriptor (annotation included) and its bytes. */
    public record Layer(Descriptor descriptor, byte[] payload) {
        public static Layer sign(SimpleSigningPayload payload, SigningKey key) {
            byte[] bytes = payload.bytes();
            String signature = Base64.getEncoder().encodeToString(key.sign(bytes));
            Descriptor descriptor = Descriptor.of(SimpleSigningPayload.MEDIA_TYPE, Digest.of(bytes), bytes.length)
                    .withAnnotations(Map.of(SIGNATURE_ANNOTATION, signature));
            return new Layer(descriptor, bytes);
        }
    }

    /** The signature image's config and manifest, to be pushed in that order. */
    public record Image(byte[] config, ManifestBytes manifest) {
    }

    private CosignSignatures() {
    }

    /** The tag that holds the signatures of {@code digest}. */
    public static String tagFor(Digest digest) {
        return digest.algorithm().id() + "-" + digest.hex() + ".sig";
    }

    /** The layers of a signature image that are signatures; other layers are not cosign's and are kept, not read. */
    public static List<Descriptor> signatureLayers(ManifestBytes image) {
        if (image.isIndex()) {
            return List.of();
        }
        return image.manifest().layers().stream()
                .filter(layer -> SimpleSigningPayload.MEDIA_TYPE.equals(layer.mediaType()))
                .toList();
    }

    /** The signature image holding {@code existing} layers plus {@code added}, unless an equal layer is already there. */
    public static Image withLayer(List<Descriptor> existing, Layer added) {
        List<Descriptor> layers = new ArrayList<>(existing);
        if (!layers.contains(added.descriptor())) {
            layers.add(added.descriptor());
        }
        byte[] config = config(layers);
        Descriptor configDescriptor = Descriptor.of(MediaType.OCI_CONFIG, Digest.of(config), config.length);
        return new Image(config, ManifestBytes.create(ImageManifest.of(MediaType.OCI_MANIFEST, configDescriptor, layers)));
    }

    /** The base64 signature a layer carries, if it carries one. */
    public static Optional<String> signatureOf(Descriptor layer) {
        return Optional.ofNullable(layer.annotations().get(SIGNATURE_ANNOTATION));
    }

    /** An image config as cosign writes one: the payloads are the layers, uncompressed. */
    private static byte[] config(List<Descriptor> layers) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode config = json.objectNode();
        config.put("architecture", "");
        config.put("created", "0001-01-01T00:00:00Z");
        config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
        config.put("os", "");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        layers.forEach(layer -> rootfs.withArray("diff_ids").add(layer.digest().toString()));
        config.putObject("config");
        return Json.write(config);
    }
}
