package dev.berth.runtime.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's CPU level, memory and GPUs as /proc and /dev show them, and a SLURM job's share of it. */
class HostFactsTest {
    @TempDir
    Path temp;

    @Test
    void theCpuLevelIsTheHighestWhoseFlagsTheFirstCpuListsAll() throws IOException {
        assertThat(node("v2", HostFactsFixture.V2_FLAGS).x86Level()).isEqualTo(X86Level.V2);
        assertThat(node("v3", HostFactsFixture.V3_FLAGS).x86Level()).isEqualTo(X86Level.V3);
        assertThat(node("v4", HostFactsFixture.V4_FLAGS).x86Level()).isEqualTo(X86Level.V4);
        assertThat(node("no-movbe", HostFactsFixture.V3_FLAGS.replace(" movbe", "")).x86Level()).isEqualTo(X86Level.V2);
        // AVX-512 without AVX2 (no real CPU) is no v4: each level needs the one below
        assertThat(node("gap", HostFactsFixture.V4_FLAGS.replace(" avx2", "")).x86Level()).isEqualTo(X86Level.V2);
        assertThat(node("old", "fpu cx8 cmov sse sse2 lm").x86Level()).isEqualTo(X86Level.BASELINE);
    }

    @Test
    void outsideAJobTheWholeNodeCounts() throws IOException {
        HostFacts host = HostFactsFixture.node(temp, HostFactsFixture.V3_FLAGS, 16 * 1024 * 1024, 8, 2, Map.of());
        assertThat(host.memoryBytes()).isEqualTo(16L << 30);
        assertThat(Allocation.of(host)).isEqualTo(new Allocation(16L << 30, 8, 2, "this node"));
    }

    @Test
    void inASlurmJobTheJobsShareCounts() throws IOException {
        Map<String, String> perCpu = Map.of("SLURM_JOB_ID", "4711", "SLURM_CPUS_ON_NODE", "4", "SLURM_MEM_PER_CPU", "2048",
                "CUDA_VISIBLE_DEVICES", "1");
        assertThat(Allocation.of(HostFactsFixture.node(temp.resolve("a"), HostFactsFixture.V3_FLAGS, 64 << 20, 32, 4, perCpu)))
                .isEqualTo(new Allocation(8L << 30, 4, 1, "SLURM job 4711"));
        Map<String, String> perNode = Map.of("SLURM_JOB_ID", "4712", "SLURM_CPUS_ON_NODE", "16", "SLURM_CPUS_PER_TASK", "2",
                "SLURM_MEM_PER_NODE", "1000", "SLURM_GPUS_ON_NODE", "2", "CUDA_VISIBLE_DEVICES", "0");
        assertThat(Allocation.of(HostFactsFixture.node(temp.resolve("b"), HostFactsFixture.V3_FLAGS, 64 << 20, 32, 4, perNode)))
                .isEqualTo(new Allocation(1000L << 20, 2, 2, "SLURM job 4712"));
    }

    private HostFacts node(String name, String flags) throws IOException {
        return HostFactsFixture.node(temp.resolve(name), flags, 1024, 1, 0, Map.of());
    }
}
