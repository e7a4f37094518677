package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sandbox.Bind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * --mpi host against a fake MPI installed in a prefix, as a site's module provides one: small
 * shared libraries built here with the host's C compiler, so that their NEEDED and RUNPATH
 * entries are the linker's own.
 */
class HostMpiInjectionTest {
    private static final DeviceRequest HOST_MPI = new DeviceRequest(false, false, List.of(), true);

    @TempDir
    Path temp;
    private HostFixture fixture;
    private Path prefix;
    private Path deps;

    @BeforeEach
    void fakeMpiInstall() throws Exception {
        fixture = new HostFixture(temp.resolve("host"));
        prefix = Files.createDirectories(temp.resolve("opt/mpi"));
        deps = Files.createDirectories(temp.resolve("opt/deps"));
        Path lib = Files.createDirectories(prefix.resolve("lib"));
        Path plugins = Files.createDirectories(lib.resolve("mpi"));
        Files.createDirectories(prefix.resolve("share/mpi"));
        Path cached = Files.createDirectories(temp.resolve("cached"));
        sharedLibrary(deps, "libhelper.so.1", "int helper(void) { return 1; }");
        sharedLibrary(cached, "libplugindep.so.1", "int plugindep(void) { return 2; }");
        sharedLibrary(lib, "libmpi.so.12", "int helper(void); int MPI_Init(void) { return helper(); }",
                "-Wl,-rpath,$ORIGIN/../../deps", "-L" + deps, "-l:libhelper.so.1");
        sharedLibrary(lib, "libmpifort.so.12", "int MPI_Init(void); int mpi_init_(void) { return MPI_Init(); }",
                "-L" + lib, "-l:libmpi.so.12", "-Wl,-rpath,$ORIGIN");
        sharedLibrary(plugins, "mca_fabric.so", "int plugindep(void); int component(void) { return plugindep(); }",
                "-L" + cached, "-l:libplugindep.so.1");
        fixture.listLibraries("libplugindep.so.1 => " + cached.resolve("libplugindep.so.1") + "\n");
    }

    @Test
    void theMpiOfTheHostsLibraryPathComesWithWhatItAndItsPluginsLinkAndItsPrefix() throws IOException {
        InjectionPlan plan = DevicePlanner.plan(HOST_MPI, fixture.host(Map.of("LD_LIBRARY_PATH", prefix.resolve("lib").toString())));

        Path lib = prefix.resolve("lib").toRealPath();
        assertThat(plan.binds()).contains(
                new Bind(lib.resolve("libmpi.so.12"), Path.of("/.berth.d/mpi/libmpi.so.12"), true),
                new Bind(lib.resolve("libmpifort.so.12"), Path.of("/.berth.d/mpi/libmpifort.so.12"), true),
                new Bind(deps.toRealPath().resolve("libhelper.so.1"), Path.of("/.berth.d/mpi/libhelper.so.1"), true),
                new Bind(temp.resolve("cached").toRealPath().resolve("libplugindep.so.1"), Path.of("/.berth.d/mpi/libplugindep.so.1"), true),
                new Bind(prefix.toRealPath(), prefix.toRealPath(), true));
        assertThat(plan.binds()).as("glibc stays the image's")
                .noneMatch(bind -> bind.destination().getFileName().toString().startsWith("libc.so"));
        assertThat(plan.libraryPathFirst()).containsExactly("/.berth.d/mpi");
        assertThat(plan.libraryPath()).isEmpty();
    }

    @Test
    void aHostWithoutMpiIsToldSoInOneLine() {
        assertThatThrownBy(() -> DevicePlanner.plan(HOST_MPI, fixture.host(Map.of())))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage()).isEqualTo("--mpi host: this host has no "
                        + "MPI library (no libmpi.so.N in LD_LIBRARY_PATH or in ldconfig -p); load the site's MPI module first"));
    }

    private void sharedLibrary(Path directory, String soname, String source, String... linkerArguments) throws Exception {
        Path c = Files.writeString(temp.resolve(soname + ".c"), source + "\n");
        List<String> command = new ArrayList<>(List.of("cc", "-shared", "-fPIC", "-o", directory.resolve(soname).toString(),
                "-Wl,-soname," + soname, c.toString()));
        command.addAll(List.of(linkerArguments));
        Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
