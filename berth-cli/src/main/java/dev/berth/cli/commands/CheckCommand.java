package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.ExitCodes;
import dev.berth.cli.args.Syntax;
import dev.berth.cli.output.Table;
import dev.berth.oci.BerthException;
import dev.berth.oci.Json;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.ImageResolver;
import dev.berth.runtime.check.CheckReport;
import dev.berth.runtime.check.Finding;
import dev.berth.runtime.check.HostFacts;
import dev.berth.runtime.check.ImageCheck;
import dev.berth.runtime.devices.HostDevices;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code berth check}: will this image run here? */
public final class CheckCommand extends ContainerCommand {
    private String reference;
    private boolean json;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Check whether an image will run on this machine, or in this SLURM job, before a job is queued.",
                        "Compares architecture, the x86-64 level its binaries need, its glibc with the driver libraries --nv",
                        "injects, its MPI with the host's, and the requirements its labels declare with the node or the job.",
                        "Exits with 3 when something is a problem.")
                .parameter("REF", REFERENCE_HELP, value -> reference = value)
                .flag("--json", "Print the findings as JSON.", () -> json = true);
    }

    @Override
    protected int run(LocalStore store) throws IOException {
        Map<String, String> environment = System.getenv();
        CheckReport report;
        try {
            ImageCache cache = cache(null);
            ImageFile image = images(store, cache, ImageResolver.Policy.NONE).resolve(reference);
            report = ImageCheck.run(image, cache, HostFacts.current(), HostDevices.of(environment), environment);
        } catch (BerthException refused) {
            if (!refused.code().equals("PLATFORM_MISMATCH")) {
                throw refused;
            }
            // an image for another machine is not converted, so there is no tree to look into: this is the whole answer
            report = new CheckReport(reference, List.of(Finding.problem("architecture", refused.getMessage())));
        }
        if (json) {
            out().println(Json.writePretty(toJson(report)));
        } else {
            Table table = new Table("CHECK", "RESULT", "DETAIL");
            report.findings().forEach(finding -> table.add(finding.check(), finding.verdict().word(), finding.detail()));
            table.print(out());
        }
        return report.firstProblem().isPresent() ? ExitCodes.CHECK_PROBLEM : 0;
    }

    private static ObjectNode toJson(CheckReport report) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("image", report.image());
        node.put("runsHere", report.firstProblem().isEmpty());
        ArrayNode checks = node.putArray("checks");
        report.findings().forEach(finding -> checks.addObject().put("check", finding.check())
                .put("result", finding.verdict().word()).put("detail", finding.detail()));
        return node;
    }
}
