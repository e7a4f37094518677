package dev.berth.runtime.sandbox;

import dev.berth.runtime.devices.DeviceRequest;
import dev.berth.runtime.devices.InjectionPlan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerEnvironmentTest {
    private static final Caller CALLER = new Caller(1000, 1000, "ada", Path.of("/home/ada"));
    private static final Map<String, String> HOST = Map.of("PATH", "/host/bin", "LD_LIBRARY_PATH", "/host/lib",
            "TERM", "xterm", "SLURM_JOB_ID", "42", "HOME", "/home/ada", "SHARED", "host");

    private static ContainerOptions options(boolean clean, Map<String, String> flags) {
        return new ContainerOptions(List.of(), flags, clean, false, false, null, false, false, true, false, false,
                ContainerOptions.RootMode.AUTO, DeviceRequest.NONE);
    }

    @Test
    void hostThenImageThenFlagsWithHostPathsDropped() {
        Map<String, String> env = ContainerEnvironment.build(HOST, List.of("PATH=/opt/bin:/bin", "SHARED=image"),
                options(false, Map.of("SHARED", "flag")), InjectionPlan.NONE, CALLER, "tools:1");
        assertThat(env).containsEntry("PATH", "/opt/bin:/bin").containsEntry("SLURM_JOB_ID", "42")
                .containsEntry("SHARED", "flag").containsEntry("HOME", "/home/ada").containsEntry("BERTH_CONTAINER", "tools:1")
                .doesNotContainKey("LD_LIBRARY_PATH");
    }

    @Test
    void cleanenvKeepsOnlyTheKeepListAndADefaultPath() {
        Map<String, String> env = ContainerEnvironment.build(HOST, List.of(), options(true, Map.of()), InjectionPlan.NONE, CALLER,
                "tools:1");
        assertThat(env).containsEntry("TERM", "xterm").containsEntry("PATH", ContainerEnvironment.DEFAULT_PATH)
                .doesNotContainKeys("SLURM_JOB_ID", "SHARED");
    }

    @Test
    void devicesPutTheirProgramsFirstOnPathTheirLibrariesAroundTheImagesLibraryPathAndFlagsStillWin() {
        InjectionPlan devices = new InjectionPlan(List.of(), List.of(), Map.of("CUDA_VISIBLE_DEVICES", "1", "SHARED", "device"),
                List.of("/.berth.d/mpi"), List.of("/.berth.d/libs"), List.of("/.berth.d/bin"), List.of());
        Map<String, String> env = ContainerEnvironment.build(HOST, List.of("PATH=/opt/bin:/bin", "LD_LIBRARY_PATH=/opt/compat",
                "CUDA_VISIBLE_DEVICES=all"), options(true, Map.of("SHARED", "flag")), devices, CALLER, "tools:1");
        assertThat(env).containsEntry("PATH", "/.berth.d/bin:/opt/bin:/bin")
                .as("the host's MPI before the image's own library path, drivers after it")
                .containsEntry("LD_LIBRARY_PATH", "/.berth.d/mpi:/opt/compat:/.berth.d/libs")
                .containsEntry("CUDA_VISIBLE_DEVICES", "1").containsEntry("SHARED", "flag");
        assertThat(ContainerEnvironment.build(HOST, List.of(), options(false, Map.of()), devices, CALLER, "tools:1"))
                .containsEntry("LD_LIBRARY_PATH", "/.berth.d/mpi:/.berth.d/libs");
    }

    @Test
    void theContainerGetsTheCallersLocaleBackWhereTheLauncherChangedTheJvms() {
        Map<String, String> unset = new java.util.HashMap<>(HOST);
        unset.putAll(Map.of("LC_ALL", "C.UTF-8", "LANG", "C", ContainerEnvironment.CALLER_LC_ALL, "(unset)"));
        assertThat(ContainerEnvironment.build(unset, List.of(), options(false, Map.of()), InjectionPlan.NONE, CALLER, "tools:1"))
                .containsEntry("LANG", "C").doesNotContainKeys("LC_ALL", ContainerEnvironment.CALLER_LC_ALL);

        Map<String, String> posix = new java.util.HashMap<>(HOST);
        posix.putAll(Map.of("LC_ALL", "C.UTF-8", ContainerEnvironment.CALLER_LC_ALL, "POSIX"));
        assertThat(ContainerEnvironment.build(posix, List.of(), options(true, Map.of()), InjectionPlan.NONE, CALLER, "tools:1"))
                .containsEntry("LC_ALL", "POSIX").doesNotContainKey(ContainerEnvironment.CALLER_LC_ALL);
    }

    @Test
    void openMpiSingleCopyIsOffUnlessTheHostOrTheImageSaysOtherwiseOrTheRanksShareANamespace() {
        String singleCopy = "OMPI_MCA_btl_vader_single_copy_mechanism";
        assertThat(ContainerEnvironment.build(HOST, List.of(), options(false, Map.of()), InjectionPlan.NONE, CALLER, "tools:1"))
                .containsEntry(singleCopy, "none");
        Map<String, String> host = new java.util.HashMap<>(HOST);
        host.put(singleCopy, "cma");
        assertThat(ContainerEnvironment.build(host, List.of(), options(false, Map.of()), InjectionPlan.NONE, CALLER, "tools:1"))
                .containsEntry(singleCopy, "cma");
        assertThat(ContainerEnvironment.build(HOST, List.of(singleCopy + "=xpmem"), options(true, Map.of()), InjectionPlan.NONE, CALLER,
                "tools:1")).containsEntry(singleCopy, "xpmem");
        ContainerOptions shared = new ContainerOptions(List.of(), Map.of(), false, false, false, null, false, false, true, false, true,
                ContainerOptions.RootMode.AUTO, DeviceRequest.NONE);
        assertThat(ContainerEnvironment.build(HOST, List.of(), shared, InjectionPlan.NONE, CALLER, "tools:1"))
                .as("ranks of one namespace (--sharens), where single copy works").doesNotContainKey(singleCopy);
    }
}
