package dev.berth.runtime.check;

import java.util.List;
import java.util.Optional;

/** What {@code berth check} found for one image on this host, in the order the checks ran. */
public record CheckReport(String image, List<Finding> findings) {
    public CheckReport {
        findings = List.copyOf(findings);
    }

    /** The first finding that says the image will not run here as it is. */
    public Optional<Finding> firstProblem() {
        return findings.stream().filter(finding -> finding.verdict() == Verdict.PROBLEM).findFirst();
    }
}
