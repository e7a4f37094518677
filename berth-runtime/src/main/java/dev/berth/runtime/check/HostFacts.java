package dev.berth.runtime.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an image is compared with: this node's CPU, memory and GPUs, and the environment that
 * says what a SLURM job was given of them. Read from /proc, /dev and the environment; a test
 * reads them from a fixture directory laid out the same way.
 *
 * @param architecture the JVM's os.arch (amd64, aarch64 ...), which is the kernel's uname -m
 * @param cpuFlags     the first CPU's flags in /proc/cpuinfo (empty where it lists none, as on arm64)
 * @param memoryBytes  MemTotal of /proc/meminfo; -1 when unknown
 * @param processors   the processors this process may use (its CPU affinity, as nproc counts them)
 * @param gpus         the NVIDIA GPUs in /dev (nvidia0, nvidia1 ...)
 * @param environment  the process's environment, for SLURM's and CUDA's variables
 */
public record HostFacts(String architecture, Set<String> cpuFlags, long memoryBytes, int processors, int gpus,
                        Map<String, String> environment) {
    private static final Pattern MEMORY_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB$");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags\\s*:(.*)$");
    private static final Pattern GPU_DEVICE = Pattern.compile("nvidia\\d+");
    /** A node with a thousand CPUs lists about 1.5 MiB of /proc/cpuinfo; the first CPU's flags come first. */
    private static final int MAX_PROC_FILE_BYTES = 256 * 1024;

    public HostFacts {
        cpuFlags = Set.copyOf(cpuFlags);
        environment = Map.copyOf(environment);
    }

    /** This process's host. */
    public static HostFacts current() throws IOException {
        return read(Path.of("/"), System.getenv(), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    }

    /** The host whose /proc and /dev are under {@code root}. */
    public static HostFacts read(Path root, Map<String, String> environment, String architecture, int processors)
            throws IOException {
        String cpuinfo = procFile(root.resolve("proc/cpuinfo"));
        Matcher flags = FLAGS.matcher(cpuinfo);
        Set<String> cpuFlags = flags.find() ? Set.of(flags.group(1).strip().split("\\s+")) : Set.of();
        Matcher memory = MEMORY_TOTAL.matcher(procFile(root.resolve("proc/meminfo")));
        long memoryBytes = memory.find() ? Long.parseLong(memory.group(1)) * 1024 : -1;
        return new HostFacts(architecture, cpuFlags, memoryBytes, processors, gpuDevices(root.resolve("dev")), environment);
    }

    /** The CPU's x86-64 level; meaningful on amd64 hosts only. */
    public X86Level x86Level() {
        return X86Level.ofCpu(cpuFlags);
    }

    public boolean isX86() {
        return architecture.equals("amd64") || architecture.equals("x86_64");
    }

    /** The start of a /proc file (whose size stat reports as 0); empty when the host has no such file. */
    private static String procFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_PROC_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return "";
        }
    }

    private static int gpuDevices(Path dev) throws IOException {
        if (!Files.isDirectory(dev)) {
            return 0;
        }
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dev,
                entry -> GPU_DEVICE.matcher(entry.getFileName().toString()).matches())) {
            for (Path ignored : entries) {
                count++;
            }
        }
        return count;
    }
}
