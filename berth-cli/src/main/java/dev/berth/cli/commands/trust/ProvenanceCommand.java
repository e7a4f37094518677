package dev.berth.cli.commands.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.commands.client.RegistryFlags;
import dev.berth.distribution.Registries;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.Reference;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.CosignSignatures;
import dev.berth.trust.InTotoStatement;
import dev.berth.trust.InvalidSignatureException;
import dev.berth.trust.SignatureCheck;
import dev.berth.trust.SigstoreBundle;
import dev.berth.trust.TagSchemeVerifier;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code berth provenance REF}: the chain of custody of the image REF resolves to now — who pushed
 * it (the registry's signed push attestations), how it was built (SLSA provenance), who signed it.
 * Every claim shown was verified with a key; one that was not is shown as refused, never believed.
 */
public final class ProvenanceCommand implements Subcommand {
    private final RegistryFlags registryFlags = new RegistryFlags();
    private final AcceptedKeys acceptedKeys = new AcceptedKeys();
    private String image;
    private boolean json;

    /**
     * One push, build or signature: where it was found, and either who signed it (with the signed
     * statement's predicate, for attestations) or why it was refused.
     */
    private record Entry(String kind, String via, String signer, JsonNode predicate, String problem) {
        static Entry refused(String kind, String via, String problem) {
            return new Entry(kind, via, null, null, problem);
        }
    }

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show who pushed an image, how it was built and who signed it, each claim checked with a key.",
                        "Push attestations are checked with the key the registry publishes; signatures and build",
                        "provenance with the keys given by --key and --keys.")
                .parameter("REF", "The image, e.g. registry.example.org/tools/app:1.0.", value -> image = value)
                .option("--key", "PUB", "A public key to check signatures and build provenance with.",
                        value -> acceptedKeys.addFile(Path.of(value)))
                .option("--keys", "DIR", "Every .pub and .pem public key in DIR.", value -> acceptedKeys.addDirectory(Path.of(value)))
                .flag("--json", "Print the chain as JSON.", () -> json = true);
        registryFlags.declare(syntax);
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        List<AcceptedKey> keys = acceptedKeys.any() ? acceptedKeys.load() : List.of();
        Reference reference = Reference.parseNormalized(image);
        Digest digest;
        List<Entry> entries = new ArrayList<>();
        int unchecked = 0;
        try (Registries registries = registryFlags.registries()) {
            Registries.Resolved resolved = registries.resolve(reference);
            digest = resolved.root().digest();
            Optional<AcceptedKey> registryKey = Attestations.registryKey(resolved.source());
            for (Attestations.Attached attached : Attestations.of(resolved.source(), digest)) {
                boolean push = attached.predicateType().equals(InTotoStatement.BERTH_PUSH);
                entries.add(check(attached, push ? registryKey.map(List::of).orElse(List.of()) : keys, digest));
            }
            CosignTagStore signatures = new CosignTagStore(resolved.source(), reference);
            if (keys.isEmpty()) {
                unchecked = signatures.signatureImage(digest).map(CosignSignatures::signatureLayers).map(List::size).orElse(0);
            } else {
                TagSchemeVerifier.check(signatures, digest, keys).forEach(finding -> entries.add(tagScheme(finding.check())));
            }
        }
        String subject = reference.name() + "@" + digest;
        if (json) {
            invocation.out().println(Json.writePretty(report(subject, digest, entries, unchecked)));
        } else {
            print(invocation.out(), subject, entries, unchecked);
        }
        return 0;
    }

    private static Entry tagScheme(SignatureCheck check) {
        String via = "cosign signature tag";
        if (!check.valid()) {
            return Entry.refused("signed", via, check.problem().orElseThrow());
        }
        AcceptedKey signer = check.signer().orElseThrow();
        String when = check.payload().flatMap(p -> p.timestamp()).map(t -> " at " + t).orElse("");
        return new Entry("signed", via, signer.name() + " (" + signer.key().fingerprint() + ")" + when, null, null);
    }

    private static Entry check(Attestations.Attached attached, List<AcceptedKey> judges, Digest digest) {
        String kind = switch (attached.predicateType()) {
            case InTotoStatement.BERTH_PUSH -> "pushed";
            case InTotoStatement.SLSA_PROVENANCE -> "built";
            case InTotoStatement.COSIGN_SIGN -> "signed";
            default -> "attested";
        };
        String via = "referrer " + attached.referrer();
        if (attached.bundle().isEmpty()) {
            return Entry.refused(kind, via, "its bundle blob does not match the layer digest");
        }
        if (judges.isEmpty()) {
            return Entry.refused(kind, via, kind.equals("pushed") ? "the registry publishes no attestation key"
                    : "no key given to check it (--key, --keys)");
        }
        try {
            SigstoreBundle.Verified verified = SigstoreBundle.verify(attached.bundle().get(), judges, digest);
            AcceptedKey signer = verified.signer();
            return new Entry(kind, via, signer.name() + " (" + signer.key().fingerprint() + ")",
                    verified.statement().predicate(), null);
        } catch (InvalidSignatureException e) {
            return Entry.refused(kind, via, e.getMessage());
        }
    }

    private static void print(PrintWriter out, String subject, List<Entry> entries, int unchecked) {
        out.println(subject);
        for (Entry entry : entries) {
            String label = String.format("  %-8s ", entry.kind());
            if (entry.problem() != null) {
                out.println(label + "refused (" + entry.via() + "): " + entry.problem());
            } else {
                out.println(label + describe(entry) + " [signed by " + entry.signer() + "]");
            }
        }
        if (unchecked > 0) {
            out.println("  " + unchecked + " cosign signature(s) not checked: give --key or --keys");
        }
        if (entries.isEmpty() && unchecked == 0) {
            out.println("  no provenance recorded");
        }
    }

    private static String describe(Entry entry) {
        JsonNode predicate = entry.predicate();
        return switch (entry.kind()) {
            case "pushed" -> predicate.path("pushedAt").asText() + " by " + predicate.path("pusher").path("name").asText()
                    + " (" + predicate.path("pusher").path("kind").asText() + ") from " + predicate.path("address").asText("-")
                    + " with " + predicate.path("client").asText("-") + tags(predicate);
            case "built" -> "by " + predicate.path("runDetails").path("builder").path("id").asText("an unnamed builder")
                    + " (" + predicate.path("buildDefinition").path("buildType").asText("-") + ")";
            case "signed" -> entry.via();
            default -> "an attestation (" + entry.via() + ")";
        };
    }

    private static String tags(JsonNode predicate) {
        List<String> tags = new ArrayList<>();
        predicate.path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags.isEmpty() ? " by digest" : " as " + String.join(", ", tags);
    }

    private static ObjectNode report(String subject, Digest digest, List<Entry> entries, int unchecked) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("image", subject);
        report.put("digest", digest.toString());
        ArrayNode list = report.putArray("provenance");
        for (Entry entry : entries) {
            ObjectNode item = list.addObject().put("kind", entry.kind()).put("via", entry.via())
                    .put("verified", entry.problem() == null);
            if (entry.problem() != null) {
                item.put("problem", entry.problem());
            } else {
                item.put("signer", entry.signer());
                if (entry.predicate() != null) {
                    item.set("predicate", entry.predicate());
                }
            }
        }
        report.put("uncheckedSignatures", unchecked);
        return report;
    }
}
