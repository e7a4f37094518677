package dev.berth.trust;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks every signature stored under cosign's tag scheme for one digest against the accepted keys. */
public final class TagSchemeVerifier {
    /** Far above any simple-signing payload (a few hundred bytes), far below what could hurt. */
    public static final int MAX_PAYLOAD_SIZE = 64 * 1024;

    /** One signature layer found for the image, and what checking it showed. */
    public record Finding(Descriptor layer, SignatureCheck check) {
    }

    private TagSchemeVerifier() {
    }

    /** A finding per signature layer; none when the image has no signature tag. */
    public static List<Finding> check(SignatureStore store, Digest digest, List<AcceptedKey> keys) throws IOException {
        List<Descriptor> layers = store.signatureImage(digest).map(CosignSignatures::signatureLayers).orElse(List.of());
        List<Finding> findings = new ArrayList<>();
        for (Descriptor layer : layers) {
            findings.add(new Finding(layer, check(store, layer, keys, digest)));
        }
        return findings;
    }

    private static SignatureCheck check(SignatureStore store, Descriptor layer, List<AcceptedKey> keys, Digest digest)
            throws IOException {
        Optional<String> signature = CosignSignatures.signatureOf(layer);
        if (signature.isEmpty()) {
            return SignatureCheck.failed("a signature layer has no " + CosignSignatures.SIGNATURE_ANNOTATION + " annotation");
        }
        Optional<byte[]> payload = layer.size() > MAX_PAYLOAD_SIZE ? Optional.empty()
                : store.blob(layer, MAX_PAYLOAD_SIZE).filter(bytes -> bytes.length == layer.size()
                && Digest.of(layer.digest().algorithm(), bytes).equals(layer.digest()));
        if (payload.isEmpty()) {
            return SignatureCheck.failed("the registry's payload blob does not match the layer digest " + layer.digest());
        }
        return SignatureCheck.of(payload.get(), signature.get(), keys, digest);
    }
}
