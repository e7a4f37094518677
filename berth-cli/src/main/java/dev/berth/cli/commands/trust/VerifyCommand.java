package dev.berth.cli.commands.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.commands.access.StaffKeys;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.Registries;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.Reference;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.SignatureWarmUp;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code berth verify REF --key PUB}: which accepted keys signed the digest REF resolves to now. */
public final class VerifyCommand implements Subcommand {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private final AcceptedKeys acceptedKeys = new AcceptedKeys();
    private String image;
    private boolean json;
    private boolean trusted;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Check an image's cosign signatures against public keys.",
                        "Resolves REF in its registry now and reads the signatures stored under cosign's tag "
                                + "sha256-<hex>.sig and those attached as OCI referrers (Sigstore bundles). Exits 0 only if a valid "
                                + "signature by an accepted key covers that digest; otherwise says in one line why not.")
                .parameter("REF", "The image, e.g. registry.example.org/tools/app:1.0, or an image file (its carried signatures).",
                        value -> image = value)
                .option("--key", "PUB", "A public key to accept (a PEM .pub file, as berth key generate or cosign write).",
                        value -> acceptedKeys.addFile(Path.of(value)))
                .option("--keys", "DIR", "Accept every .pub and .pem public key in DIR.",
                        value -> acceptedKeys.addDirectory(Path.of(value)))
                .flag("--trusted", "Accept the staff keys that a berth registry lists for the image's trusted project.",
                        () -> trusted = true)
                .flag("--json", "Print the signatures found and their checks as JSON.", () -> json = true);
        registryFlags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        Path file = Path.of(image);
        if (Files.isRegularFile(file)) {
            if (trusted) {
                throw new UsageException("--trusted is for images in a registry; an image file belongs to no project");
            }
            return FileVerification.run(invocation.out(), file, acceptedKeys.load(), json);
        }
        Reference reference = Reference.parseNormalized(image);
        SignatureWarmUp.startOnce();
        List<AcceptedKey> keys = new ArrayList<>(trusted ? StaffKeys.of(registryFlags, reference) : List.of());
        if (!trusted || acceptedKeys.any()) {
            keys.addAll(acceptedKeys.load());
        }
        Digest digest;
        List<SignatureEvidence> findings = new ArrayList<>();
        try (Registries registries = registryFlags.registries()) {
            Registries.Resolved resolved = registries.resolve(reference);
            digest = resolved.root().digest();
            findings.addAll(SignatureEvidence.gather(resolved.source(), reference, digest, keys));
        }
        String subject = reference.name() + "@" + digest;
        boolean verified = findings.stream().anyMatch(SignatureEvidence::valid);
        if (json) {
            invocation.out().println(Json.writePretty(report(subject, digest, verified, findings)));
        } else {
            printFindings(invocation.out(), subject, findings);
        }
        if (findings.isEmpty()) {
            throw new BerthException("SIGNATURE_MISSING", "no signature for " + subject
                    + ": sign it with berth sign " + image + " --key KEY");
        }
        if (!verified) {
            throw new BerthException("SIGNATURE_INVALID", "no valid signature by an accepted key covers " + subject + ": "
                    + SignatureEvidence.problems(findings));
        }
        return 0;
    }

    private static void printFindings(PrintWriter out, String subject, List<SignatureEvidence> findings) {
        out.println(subject);
        for (SignatureEvidence finding : findings) {
            String via = " [" + finding.via() + "]";
            if (finding.valid()) {
                AcceptedKey signer = finding.signer().orElseThrow();
                String when = finding.timestamp().map(t -> " at " + t).orElse("");
                String creator = finding.creator().map(c -> " (" + c + ")").orElse("");
                out.println("  signed by " + signer.name() + " (" + signer.key().fingerprint() + ")" + when + creator + via);
            } else {
                out.println("  refused: " + finding.problem().orElseThrow() + via);
            }
        }
    }

    private static ObjectNode report(String subject, Digest digest, boolean verified, List<SignatureEvidence> findings) {
        JsonNodeFactory factory = JsonNodeFactory.instance;
        ObjectNode report = factory.objectNode();
        report.put("image", subject);
        report.put("digest", digest.toString());
        report.put("verified", verified);
        ArrayNode signatures = report.putArray("signatures");
        for (SignatureEvidence finding : findings) {
            ObjectNode entry = signatures.addObject();
            entry.put("via", finding.via());
            entry.put(finding.via().equals(SignatureEvidence.TAG) ? "layer" : "referrer", finding.where().toString());
            entry.put("valid", finding.valid());
            finding.signer().ifPresent(signer -> {
                entry.put("key", signer.name());
                entry.put("fingerprint", signer.key().fingerprint().toString());
            });
            finding.signedDigest().ifPresent(signed -> entry.put("signedDigest", signed.toString()));
            finding.dockerReference().ifPresent(name -> entry.put("dockerReference", name));
            finding.timestamp().ifPresent(when -> entry.put("timestamp", when.toString()));
            finding.creator().ifPresent(creator -> entry.put("creator", creator));
            finding.problem().ifPresent(problem -> entry.put("problem", problem));
        }
        return report;
    }
}
