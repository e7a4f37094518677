package dev.berth.runtime.check;

import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.runtime.ImageMetadata;
import dev.berth.runtime.devices.HostDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check on an image tree laid out as berth extracts one (with its /.berth files), holding
 * the host's own libc and ELF files written here, against fixture hosts: /proc, /dev and a
 * stand-in ldconfig that lists driver and MPI libraries.
 */
class ImageCheckTest {
    private static final Path HOST_LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    @TempDir
    Path temp;
    private Path tree;
    private Path hostLibraries;

    @BeforeEach
    void imageWithAV3ProgramTheHostsLibcAndOpenMpi() throws IOException {
        tree = Files.createDirectories(temp.resolve("tree"));
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.createDirectories(tree.resolve("usr/lib/x86_64-linux-gnu"));
        Files.createSymbolicLink(tree.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));
        Files.write(tree.resolve("usr/bin/simulate"), ElfBytes.withIsaNeeded(0b0111));
        Files.write(tree.resolve("usr/bin/helper"), ElfBytes.withIsaNeeded(0b0001));
        Files.writeString(tree.resolve("usr/bin/run.sh"), "#!/bin/sh\nexec simulate\n");
        Files.copy(HOST_LIBC, tree.resolve("usr/lib/x86_64-linux-gnu/libc.so.6"));
        Files.writeString(tree.resolve("usr/lib/x86_64-linux-gnu/libmpi.so.40.30.4"), "\0Open MPI v4.1.4\0");
        Files.createSymbolicLink(tree.resolve("usr/lib/x86_64-linux-gnu/libmpi.so.40"), Path.of("libmpi.so.40.30.4"));
        // hwcaps builds are optional: the loader takes them only on CPUs that have what they need
        Files.createDirectories(tree.resolve("usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v4"));
        Files.write(tree.resolve("usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v4/libfast.so.1"), ElfBytes.withIsaNeeded(8));
        describe(List.of("/usr/bin/simulate"), Map.of());
        hostLibraries = Files.createDirectories(temp.resolve("host/lib"));
    }

    /** Writes the image's /.berth files as berth's converter does. */
    private void describe(List<String> entrypoint, Map<String, String> labels) throws IOException {
        Digest manifest = Digest.of("manifest".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> config = Map.of("architecture", "amd64", "os", "linux",
                "config", Map.of("Entrypoint", entrypoint, "Env", List.of("PATH=/usr/bin"), "Labels", labels));
        byte[] configBytes = Json.write(config);
        Path berth = Files.createDirectories(tree.resolve(".berth"));
        Files.write(berth.resolve("image.json"), ImageMetadata.configJson("sim:1", manifest, configBytes));
        Files.write(berth.resolve("runtime"), ImageMetadata.of("sim:1", manifest,
                dev.berth.oci.image.ImageConfig.parse(configBytes)).runtimeRecords());
    }

    /** The checks on the simulated image's tree, with the metadata berth wrote into it. */
    private CheckReport checkTree(HostFacts host, HostDevices devices) throws IOException {
        return ImageCheck.ofTree(tree, ImageMetadata.readFrom(tree), ImageMetadata.readConfigFrom(tree), host, devices);
    }

    @Test
    void aV3ProgramOnAV2CpuIsAProblemThatNamesIt() throws IOException {
        CheckReport report = checkTree(host("v2", HostFactsFixture.V2_FLAGS, Map.of()), devices(""));
        assertThat(report.image()).isEqualTo("sim:1");
        assertThat(report.findings()).extracting(Finding::check)
                .containsExactly("architecture", "x86-64 level", "glibc", "mpi", "requirements");
        assertThat(finding(report, "x86-64 level")).isEqualTo(Finding.problem("x86-64 level",
                "/usr/bin/simulate needs x86-64-v3, this CPU is x86-64-v2 (3 ELF files read)"));
        assertThat(report.firstProblem()).contains(finding(report, "x86-64 level"));
    }

    @Test
    void onAV3CpuTheSameImageIsFineAndTheHwcapsBuildIsNoRequirement() throws IOException {
        CheckReport report = checkTree(host("v3", HostFactsFixture.V3_FLAGS, Map.of()), devices(""));
        assertThat(finding(report, "x86-64 level")).isEqualTo(Finding.ok("x86-64 level",
                "binaries need at most x86-64-v3 (/usr/bin/simulate); this CPU is x86-64-v3 (3 ELF files read)"));
        assertThat(finding(report, "architecture").verdict()).isEqualTo(Verdict.OK);
        assertThat(finding(report, "glibc")).isEqualTo(Finding.info("glibc", "no NVIDIA driver libraries on this host"));
        assertThat(finding(report, "mpi")).isEqualTo(Finding.info("mpi",
                "the image has Open MPI (libmpi.so.40.30.4); the host's ldconfig cache lists no libmpi to compare with"));
        assertThat(report.firstProblem()).isEmpty();
    }

    @Test
    void theDriversGlibcNeedsAreComparedWithTheImagesLibc() throws IOException {
        // a host program stands in for libcuda: it needs the GLIBC versions this host's libc has, which the image has too
        Path libcuda = Files.copy(Path.of("/usr/bin/ls"), hostLibraries.resolve("libcuda.so.550.54.15"));
        Files.createSymbolicLink(hostLibraries.resolve("libcuda.so.1"), libcuda.getFileName());
        ElfFile stand = ElfFile.read(libcuda).orElseThrow();
        String needed = GlibcVersion.highest(stand.versionsNeeded()).orElseThrow().toString();
        String has = GlibcVersion.highest(ElfFile.read(HOST_LIBC).orElseThrow().versionsDefined()).orElseThrow().toString();
        CheckReport report = checkTree(host("v3", HostFactsFixture.V3_FLAGS, Map.of()),
                devices("libcuda.so.1 => " + hostLibraries.resolve("libcuda.so.1")));
        assertThat(finding(report, "glibc")).isEqualTo(Finding.ok("glibc",
                "--nv's libcuda.so.550.54.15 needs glibc " + needed + ", the image has glibc " + has));

        Files.delete(tree.resolve("usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertThat(finding(checkTree(host("v3b", HostFactsFixture.V3_FLAGS, Map.of()),
                devices("libcuda.so.1 => " + hostLibraries.resolve("libcuda.so.1"))), "glibc").verdict()).isEqualTo(Verdict.WARNING);
    }

    @Test
    void anMpichHostAndAnOpenMpiImageDifferInAbi() throws IOException {
        Files.writeString(hostLibraries.resolve("libmpi.so.12.1.8"), "\0MPICH Version:\t4.0.2\0");
        CheckReport report = checkTree(host("v3", HostFactsFixture.V3_FLAGS, Map.of()),
                devices("libmpi.so.12 => " + hostLibraries.resolve("libmpi.so.12.1.8")));
        assertThat(finding(report, "mpi")).isEqualTo(Finding.warning("mpi", "the image has Open MPI (libmpi.so.40.30.4), the host"
                + " has MPICH (libmpi.so.12): different ABIs; run the image's own MPI, or use an image built for the host's"));
    }

    @Test
    void aTruncatedElfFileInTheImageIsAWarningThatNamesIt() throws IOException {
        Files.write(tree.resolve("usr/bin/broken"), Arrays.copyOf(ElfBytes.withIsaNeeded(4), 90));
        CheckReport report = checkTree(host("v3", HostFactsFixture.V3_FLAGS, Map.of()), devices(""));
        Finding level = finding(report, "x86-64 level");
        assertThat(level.verdict()).isEqualTo(Verdict.WARNING);
        assertThat(level.detail()).startsWith("1 ELF file(s) could not be read, first /usr/bin/broken: truncated or corrupt: the"
                + " program headers").endsWith("binaries need at most x86-64-v3 (/usr/bin/simulate); this CPU is x86-64-v3"
                + " (3 ELF files read)");
    }

    @Test
    void labelsAreComparedWithTheSlurmJob() throws IOException {
        describe(List.of("simulate"), Map.of("dev.berth.requires.cores", "16", "org.opencontainers.image.title", "sim"));
        HostFacts job = host("job", HostFactsFixture.V3_FLAGS, Map.of("SLURM_JOB_ID", "5", "SLURM_CPUS_ON_NODE", "4"));
        CheckReport report = checkTree(job, devices(""));
        assertThat(report.findings()).extracting(Finding::check).containsExactly("architecture", "x86-64 level", "glibc", "mpi",
                "cores");
        assertThat(report.firstProblem()).contains(Finding.problem("cores", "the image needs 16 cores, SLURM job 5 has 4"));
        assertThat(ImageCheck.warningBeforeRun(ImageMetadata.readFrom(tree))).isPresent();
    }

    private static Finding finding(CheckReport report, String check) {
        return report.findings().stream().filter(finding -> finding.check().equals(check)).findFirst().orElseThrow();
    }

    private HostFacts host(String name, String flags, Map<String, String> environment) throws IOException {
        return HostFactsFixture.node(temp.resolve("hosts/" + name), flags, 64 * 1024 * 1024, 32, 0, environment);
    }

    /** A host whose ldconfig -p lists {@code entries} ("name => path" lines) for this machine's ABI. */
    private HostDevices devices(String entries) throws IOException {
        Path ldconfig = temp.resolve("host/ldconfig-" + Math.abs(entries.hashCode()));
        StringBuilder listing = new StringBuilder("libs found in cache `/etc/ld.so.cache'\n");
        entries.lines().map(line -> line.split(" => "))
                .forEach(entry -> listing.append('\t').append(entry[0]).append(" (libc6,x86-64) => ").append(entry[1]).append('\n'));
        Files.writeString(ldconfig, "#!/bin/sh\ncat <<'LISTING'\n" + listing + "LISTING\n");
        Files.setPosixFilePermissions(ldconfig, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new HostDevices(Files.createDirectories(temp.resolve("host/dev")), ldconfig, List.of(), List.of(), Map.of());
    }
}
