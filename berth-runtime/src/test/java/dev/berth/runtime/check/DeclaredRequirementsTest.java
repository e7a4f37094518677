package dev.berth.runtime.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The labels an image declares its needs in, against a node with 16 GiB, 8 processors, 2 GPUs and an x86-64-v3 CPU. */
class DeclaredRequirementsTest {
    @TempDir
    Path temp;

    @Test
    void onlyTheRequirementLabelsAreRequirements() {
        assertThat(DeclaredRequirements.of(Map.of("dev.berth.requires.gpus", "1", "org.opencontainers.image.title", "x")))
                .containsExactly(Map.entry("dev.berth.requires.gpus", "1"));
        assertThat(DeclaredRequirements.of(null)).isEmpty();
    }

    @Test
    void whatTheNodeHasIsOkAndWhatItLacksIsAProblem() throws IOException {
        List<Finding> findings = DeclaredRequirements.check(Map.of(
                "dev.berth.requires.memory", "32G",
                "dev.berth.requires.cores", "8",
                "dev.berth.requires.gpus", "4",
                "dev.berth.requires.x86-64-level", "x86-64-v3"), node(Map.of()));
        assertThat(findings).containsExactly(
                Finding.ok("cores", "the image needs 8 cores, this node has 8"),
                Finding.problem("gpus", "the image needs 4 GPUs, this node has 2"),
                Finding.problem("memory", "the image needs 32.0 GiB, this node has 16.0 GiB"),
                Finding.ok("x86-64-level", "the image needs x86-64-v3, this CPU is x86-64-v3"));
        assertThat(DeclaredRequirements.check(Map.of("dev.berth.requires.x86-64-level", "v4"), node(Map.of())))
                .containsExactly(Finding.problem("x86-64-level", "the image needs x86-64-v4, this CPU is x86-64-v3"));
    }

    @Test
    void inASlurmJobTheAllocationIsWhatCounts() throws IOException {
        HostFacts job = node(Map.of("SLURM_JOB_ID", "99", "SLURM_CPUS_ON_NODE", "2", "SLURM_MEM_PER_NODE", "4096"));
        assertThat(DeclaredRequirements.check(Map.of("dev.berth.requires.memory", "8G", "dev.berth.requires.cores", "2"), job))
                .containsExactly(
                        Finding.ok("cores", "the image needs 2 cores, SLURM job 99 has 2"),
                        Finding.problem("memory", "the image needs 8.0 GiB, SLURM job 99 has 4.0 GiB"));
    }

    @Test
    void malformedAndUnknownLabelsAreWarningsNotProblems() throws IOException {
        assertThat(DeclaredRequirements.check(Map.of("dev.berth.requires.memory", "16", "dev.berth.requires.disk", "1T",
                "dev.berth.requires.x86-64-level", "v9"), node(Map.of()))).extracting(Finding::verdict)
                .containsOnly(Verdict.WARNING).hasSize(3);
        assertThat(DeclaredRequirements.check(Map.of(), node(Map.of()))).extracting(Finding::verdict).containsExactly(Verdict.OK);
    }

    private HostFacts node(Map<String, String> environment) throws IOException {
        return HostFactsFixture.node(temp.resolve("node-" + environment.size()), HostFactsFixture.V3_FLAGS, 16 * 1024 * 1024, 8, 2,
                environment);
    }
}
