package dev.berth.cli.commands.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.ImageFileSignatures;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.FileSignatures;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code berth verify FILE}: the signatures an image file carries, checked against its content offline. */
final class FileVerification {
    private FileVerification() {
    }

    static int run(PrintWriter out, Path file, List<AcceptedKey> keys, boolean json) throws IOException {
        ImageFile.open(file);
        ImageFileSignatures.Carried carried = ImageFileSignatures.read(file);
        Digest content = ImageFileSignatures.contentDigest(file, carried.contentLength());
        List<FileSignatures.Finding> findings = FileSignatures.check(carried.signatures(), content, keys);
        boolean verified = findings.stream().anyMatch(FileSignatures.Finding::valid);
        if (json) {
            out.println(Json.writePretty(report(file, content, verified, findings)));
        } else {
            out.println(file + " (content " + content + ")");
            for (FileSignatures.Finding finding : findings) {
                if (finding.valid()) {
                    AcceptedKey signer = finding.signer().orElseThrow();
                    out.println("  signed by " + signer.name() + " (" + signer.key().fingerprint() + ")"
                            + finding.signedAt().map(at -> " at " + at).orElse(""));
                } else {
                    out.println("  refused: " + finding.problem().orElseThrow());
                }
            }
        }
        if (findings.isEmpty()) {
            throw new BerthException("SIGNATURE_MISSING", file + " carries no signature: sign it with berth sign " + file
                    + " --key KEY");
        }
        if (!verified) {
            Set<String> problems = new LinkedHashSet<>();
            findings.forEach(finding -> problems.add(finding.problem().orElseThrow()));
            throw new BerthException("SIGNATURE_INVALID", "no valid signature by an accepted key covers the content of "
                    + file + ": " + String.join("; ", problems));
        }
        return 0;
    }

    private static ObjectNode report(Path file, Digest content, boolean verified, List<FileSignatures.Finding> findings) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("file", file.toString());
        report.put("digest", content.toString());
        report.put("verified", verified);
        ArrayNode signatures = report.putArray("signatures");
        for (FileSignatures.Finding finding : findings) {
            ObjectNode entry = signatures.addObject();
            entry.put("valid", finding.valid());
            finding.signer().ifPresent(signer -> {
                entry.put("key", signer.name());
                entry.put("fingerprint", signer.key().fingerprint().toString());
            });
            finding.signedAt().ifPresent(at -> entry.put("timestamp", at.toString()));
            finding.problem().ifPresent(problem -> entry.put("problem", problem));
        }
        return report;
    }
}
