package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --nv and --rocm against a fake host: what the container would get. */
class DriverInjectionTest {
    private static final DeviceRequest NV = new DeviceRequest(true, false, List.of(), false);
    private static final DeviceRequest ROCM = new DeviceRequest(false, true, List.of(), false);

    @TempDir
    Path temp;
    private HostFixture fixture;

    @BeforeEach
    void fakeNvidiaHost() throws IOException {
        fixture = new HostFixture(temp);
        fixture.library("libcuda.so.550.54.15", "libcuda.so.1");
        fixture.library("libnvidia-ml.so.550.54.15", "libnvidia-ml.so.1");
        fixture.library("libz.so.1.3", "libz.so.1");
        fixture.listLibraries("""
                libcuda.so.1 => libcuda.so.1
                libnvidia-ml.so.1 => libnvidia-ml.so.1
                libnvidia-cfg.so.1 => libnvidia-cfg.so.1
                libz.so.1 => libz.so.1
                """);
        for (String node : new String[] {"nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null", "kfd"}) {
            fixture.device(node);
        }
        Files.createDirectories(fixture.dev.resolve("nvidia-caps"));
        HostFixture.script(fixture.bin.resolve("nvidia-smi"), "echo fake nvidia-smi\n");
        Files.writeString(fixture.bin.resolve("nvidia-debugdump"), "not executable");
    }

    @Test
    void nvBindsTheDriversLibrariesUnderTheirCacheNamesItsDevicesAndItsPrograms() throws IOException {
        InjectionPlan plan = DevicePlanner.plan(NV, fixture.host(Map.of("CUDA_VISIBLE_DEVICES", "1", "OTHER", "x")));

        assertThat(plan.binds()).containsExactly(
                new Bind(fixture.lib.resolve("libcuda.so.550.54.15"), Path.of("/.berth.d/libs/libcuda.so.1"), true),
                new Bind(fixture.lib.resolve("libnvidia-ml.so.550.54.15"), Path.of("/.berth.d/libs/libnvidia-ml.so.1"), true),
                new Bind(fixture.bin.resolve("nvidia-smi"), Path.of("/.berth.d/bin/nvidia-smi"), true));
        assertThat(plan.deviceNodes()).containsExactly(
                new InjectionPlan.DeviceNode(fixture.dev.resolve("nvidia-caps"), "/dev/nvidia-caps"),
                new InjectionPlan.DeviceNode(fixture.dev.resolve("nvidia-uvm"), "/dev/nvidia-uvm"),
                new InjectionPlan.DeviceNode(fixture.dev.resolve("nvidia0"), "/dev/nvidia0"),
                new InjectionPlan.DeviceNode(fixture.dev.resolve("nvidia1"), "/dev/nvidia1"),
                new InjectionPlan.DeviceNode(fixture.dev.resolve("nvidiactl"), "/dev/nvidiactl"));
        assertThat(plan.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "1"));
        assertThat(plan.libraryPath()).containsExactly("/.berth.d/libs");
        assertThat(plan.programPath()).containsExactly("/.berth.d/bin");
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void withoutTheDriversOwnLibraryNvWarnsInOneLineAndInjectsOnlyDevices() throws IOException {
        fixture.listLibraries("libnvidia-ml.so.1 => libnvidia-ml.so.1\nlibz.so.1 => libz.so.1\n");
        InjectionPlan plan = DevicePlanner.plan(NV, fixture.host(Map.of()));
        assertThat(plan.warnings()).containsExactly(
                "--nv: no NVIDIA driver found (" + fixture.ldconfig + " -p lists no libcuda); running without its libraries");
        assertThat(plan.binds()).isEmpty();
        assertThat(plan.libraryPath()).isEmpty();
        assertThat(plan.programPath()).isEmpty();
        assertThat(plan.deviceNodes()).isNotEmpty();
    }

    @Test
    void aHostWithoutLdconfigHasNoDriverLibraries() throws IOException {
        Files.delete(fixture.ldconfig);
        assertThat(DevicePlanner.plan(NV, fixture.host(Map.of())).warnings()).singleElement().asString().contains("no NVIDIA driver");
    }

    @Test
    void aFailingLdconfigIsOneLineNamingIt() throws IOException {
        HostFixture.script(fixture.ldconfig, "echo 'ldconfig: cannot open cache' >&2\nexit 3\n");
        assertThatThrownBy(() -> DevicePlanner.plan(NV, fixture.host(Map.of())))
                .isInstanceOf(BerthException.class)
                .hasMessage("cannot list the host's libraries: ldconfig exited with 3 (ldconfig: cannot open cache)");
    }

    @Test
    void rocmBindsKfdDriAndTheRocmLibraries() throws IOException {
        Files.createDirectories(fixture.dev.resolve("dri"));
        fixture.library("libhsa-runtime64.so.1.13.60100", "libhsa-runtime64.so.1");
        fixture.library("libamdhip64.so.6.1.60100", "libamdhip64.so.6");
        fixture.listLibraries("libhsa-runtime64.so.1 => libhsa-runtime64.so.1\nlibamdhip64.so.6 => libamdhip64.so.6\n"
                + "libcuda.so.1 => libcuda.so.1\n");
        HostFixture.script(fixture.bin.resolve("rocm-smi"), "echo fake rocm-smi\n");

        InjectionPlan plan = DevicePlanner.plan(ROCM, fixture.host(Map.of("ROCR_VISIBLE_DEVICES", "0", "CUDA_VISIBLE_DEVICES", "1")));

        assertThat(plan.deviceNodes()).extracting(InjectionPlan.DeviceNode::containerPath).containsExactly("/dev/dri", "/dev/kfd");
        assertThat(plan.binds()).extracting(Bind::destination)
                .containsExactly(Path.of("/.berth.d/libs/libhsa-runtime64.so.1"), Path.of("/.berth.d/libs/libamdhip64.so.6"),
                        Path.of("/.berth.d/bin/rocm-smi"));
        assertThat(plan.environment()).containsExactly(Map.entry("ROCR_VISIBLE_DEVICES", "0"));
    }
}
