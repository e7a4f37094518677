package dev.berth.cli.commands.trust;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.commands.VersionCommand;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.Registries;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.ImageFileSignatures;
import dev.berth.trust.CosignSignatures;
import dev.berth.trust.FileSignatures;
import dev.berth.trust.SigningKey;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.SigstoreBundle;
import dev.berth.trust.SimpleSigningPayload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code berth sign REF --key KEY}: a cosign signature of the manifest REF names, stored beside it
 * in the registry; of an image file, a signature of its content carried inside it.
 */
public final class SignCommand implements Subcommand {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private String image;
    private Path keyFile;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Sign an image in a registry with a cosign key.",
                        "Signs the manifest digest REF resolves to now and stores the signature in the same repository "
                                + "under cosign's tag sha256-<hex>.sig, where cosign, skopeo and podman look for it, and as an OCI 1.1 "
                                + "referrer holding a Sigstore bundle (a DSSE envelope around an in-toto statement). "
                                + "The key's password comes from " + KeyPassword.ENVIRONMENT + ", the terminal or standard "
                                + "input. Keyless signing (Fulcio, Rekor) is not supported. An image file from berth convert "
                                + "is signed in place: the signature of its content travels inside it, for offline checks.")
                .parameter("REF", "The image, e.g. registry.example.org/tools/app:1.0, or an image file.", value -> image = value)
                .requiredOption("--key", "KEY", "The private key file (from berth key generate or cosign generate-key-pair).",
                        value -> keyFile = Path.of(value));
        registryFlags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        SigningKey key = SigningKey.open(Files.readAllBytes(keyFile), KeyPassword.forOpening(keyFile.toString()),
                keyFile.toString());
        Path file = Path.of(image);
        if (Files.isRegularFile(file)) {
            ImageFile.open(file);
            Digest content = ImageFileSignatures.contentDigest(file, ImageFileSignatures.read(file).contentLength());
            ImageFileSignatures.add(file, FileSignatures.sign(content, key, Instant.now()));
            invocation.out().println("Signed " + file + " (content " + content + ") with " + keyFile + " ("
                    + key.publicKey().fingerprint() + "); the signature is inside the file");
            return 0;
        }
        Reference reference = Reference.parseNormalized(image);
        try (Registries registries = registryFlags.registries()) {
            Registries.Resolved resolved = registries.resolve(reference);
            Digest digest = resolved.root().digest();
            SimpleSigningPayload payload = SimpleSigningPayload.of(digest, reference.name(),
                    "berth " + VersionCommand.version(), Instant.now());
            new CosignTagStore(resolved.source(), reference).add(digest, CosignSignatures.Layer.sign(payload, key));
            InTotoStatement statement = new InTotoStatement(reference.name(), digest, InTotoStatement.COSIGN_SIGN, null);
            Digest referrer = new ReferrerStore(resolved.source())
                    .attach(resolved.root(), SigstoreBundle.sign(statement, key), statement.predicateType());
            invocation.out().println("Signed " + reference.name() + "@" + digest + " with " + keyFile + " ("
                    + key.publicKey().fingerprint() + "); Sigstore bundle referrer " + referrer);
        }
        return 0;
    }
}
