package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.Action;
import dev.berth.registry.trust.ImageTrust;

import java.io.IOException;

/**
 * {@code GET /berth/v1/repositories/REPO/trust?reference=TAG|DIGEST}: whether the image is trusted
 * (its project is trusted and a staff key's signature covers its digest) and who signed it.
 */
final class TrustResource {
    private final Access access;
    private final Registry registry;
    private final ImageTrust trust;

    TrustResource(Access access, Registry registry, ImageTrust trust) {
        this.access = access;
        this.registry = registry;
        this.trust = trust;
    }

    void handle(ApiCall call, String repository) throws IOException {
        if (!call.method().equals("GET")) {
            throw methodNotAllowed(call.method());
        }
        if (!access.policy().allowed(call.caller(), repository, call.address()).contains(Action.PULL)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository
                    + " does not exist or you may not pull from it");
        }
        String reference = call.query("reference");
        if (reference == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "say which image: ?reference=TAG or ?reference=DIGEST");
        }
        Digest digest = registry.manifests().manifest(repository, reference).digest();
        ObjectNode json = json(trust.of(repository, digest));
        json.put("repository", repository).put("reference", reference);
        call.ok(200, json);
    }

    /** The trust state as the API shows it, in tag listings too. */
    static ObjectNode json(ImageTrust.State state) {
        ObjectNode json = Json.mapper().createObjectNode().put("digest", state.digest().toString())
                .put("projectTrusted", state.projectTrusted()).put("trusted", state.trusted());
        ArrayNode signers = json.putArray("signers");
        state.signers().forEach(signer -> signers.addObject().put("key", signer.key()).put("fingerprint", signer.fingerprint())
                .put("timestamp", signer.timestamp()));
        return json;
    }
}
