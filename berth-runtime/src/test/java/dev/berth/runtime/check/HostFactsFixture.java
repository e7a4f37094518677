package dev.berth.runtime.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A node's /proc/cpuinfo, /proc/meminfo and /dev under a temporary directory, read as {@link HostFacts#current()} reads the real ones. */
final class HostFactsFixture {
    static final String V2_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse"
            + " sse2 ht syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm";
    static final String V3_FLAGS = V2_FLAGS + " avx avx2 bmi1 bmi2 f16c fma abm movbe xsave";
    static final String V4_FLAGS = V3_FLAGS + " avx512f avx512bw avx512cd avx512dq avx512vl";

    private HostFactsFixture() {
    }

    /** An x86-64 node with {@code flags}, {@code memoryKiB} of memory, {@code processors} processors and {@code gpus} NVIDIA GPUs. */
    static HostFacts node(Path root, String flags, long memoryKiB, int processors, int gpus, Map<String, String> environment)
            throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("cpuinfo"), ("processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: %s\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n").formatted(flags));
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       %d kB\nMemFree:         1024 kB\n".formatted(memoryKiB));
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.writeString(dev.resolve("nvidiactl"), "");
        for (int i = 0; i < gpus; i++) {
            Files.writeString(dev.resolve("nvidia" + i), "");
        }
        return HostFacts.read(root, environment, "amd64", processors);
    }
}
