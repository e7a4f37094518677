package dev.berth.runtime.site;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.BerthException;
import dev.berth.runtime.devices.InjectionPlan;
import dev.berth.runtime.sandbox.Bind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The site file as an admin writes it, as berth reads it, and the files berth must not trust. */
class SiteConfigTest {
    private static final Path FILE = Path.of("/etc/berth/berth.toml");
    private static final long ME = new UnixSystem().getUid();

    @TempDir
    Path temp;

    private static SiteConfig parse(String text) {
        return SiteConfigReader.parse(text, FILE);
    }

    private static String error(String text) {
        try {
            parse(text);
        } catch (BerthException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(FILE.toString());
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + text);
    }

    @Test
    void everySettingIsRead() {
        SiteConfig site = parse("""
                [binds]
                default = ["/scratch", "/project:/project:ro"]
                [cache]
                shared = "/shared/berth-images"
                prepared = "/local/berth"
                [registries]
                allowed = ["registry.example.org", "127.0.0.1:5000"]
                [modules.openmpi]
                description = "the host's Open MPI"
                binds = ["/opt/openmpi:/opt/openmpi:ro"]
                env = { OMPI_MCA_btl = "self,vader", PATH = "/opt/openmpi/bin:/usr/bin:/bin" }
                default = true
                [modules.licence.env]
                LM_LICENSE_FILE = "27000@licence.example.org"
                """);
        assertThat(site.inUse()).isTrue();
        assertThat(site.defaultBinds()).containsExactly(new Bind(Path.of("/scratch"), Path.of("/scratch"), false),
                new Bind(Path.of("/project"), Path.of("/project"), true));
        assertThat(site.sharedCache()).contains(Path.of("/shared/berth-images"));
        assertThat(site.preparedDirectory()).contains(Path.of("/local/berth"));
        assertThat(site.allowedRegistries()).containsExactly("registry.example.org", "127.0.0.1:5000");
        assertThat(site.modules()).containsOnlyKeys("openmpi", "licence");
        SiteModule openmpi = site.modules().get("openmpi");
        assertThat(openmpi.enabledByDefault()).isTrue();
        assertThat(openmpi.description()).isEqualTo("the host's Open MPI");
        assertThat(openmpi.binds()).containsExactly(new Bind(Path.of("/opt/openmpi"), Path.of("/opt/openmpi"), true));
        assertThat(openmpi.environment()).containsExactly(Map.entry("OMPI_MCA_btl", "self,vader"),
                Map.entry("PATH", "/opt/openmpi/bin:/usr/bin:/bin"));
        SiteModule licence = site.modules().get("licence");
        assertThat(licence.enabledByDefault()).isFalse();
        assertThat(licence.binds()).isEmpty();
        assertThat(licence.environment()).containsExactly(Map.entry("LM_LICENSE_FILE", "27000@licence.example.org"));
    }

    @Test
    void anEmptyOrAbsentFileSetsNothing() throws IOException {
        SiteConfig empty = parse("");
        assertThat(empty.defaultBinds()).isEmpty();
        assertThat(empty.modules()).isEmpty();
        SiteConfig absent = SiteConfigReader.load(temp.resolve("berth.toml"), ME, warning -> {
            throw new AssertionError(warning);
        });
        assertThat(absent.inUse()).isFalse();
        assertThat(absent.file()).isEqualTo(temp.resolve("berth.toml"));
    }

    @Test
    void unknownTablesAndSettingsAreOneLineErrorsNamingTheFileAndTheKey() {
        assertThat(error("cache = \"/x\"")).contains("unknown setting \"cache\" at the top");
        assertThat(error("[binds]\ndefaults = [\"/scratch\"]")).contains("unknown setting \"defaults\" in [binds] (known there: default)");
        assertThat(error("[cache]\nlocal = \"/local\"")).contains("unknown setting \"local\" in [cache] (known there: shared, prepared)");
        assertThat(error("[mirrors]\nx = \"y\"")).contains("unknown table [mirrors]");
        assertThat(error("[modules.openmpi]\nbind = [\"/opt\"]")).contains("unknown setting \"bind\" in [modules.openmpi]");
        assertThat(error("[modules.\"open.mpi\"]\ndefault = true")).contains("unknown table [modules.open.mpi]");
        assertThat(error("[modules]\nopenmpi = true")).contains("unknown setting \"openmpi\" in [modules]");
    }

    @Test
    void valuesOfTheWrongKindAreErrors() {
        assertThat(error("[binds]\ndefault = \"/scratch\"")).contains("default in [binds] must be a list");
        assertThat(error("[binds]\ndefault = [\"scratch\"]")).contains("sources are absolute paths");
        assertThat(error("[binds]\ndefault = [\"/a:relative\"]"))
                .endsWith("default in [binds]: invalid bind \"/a:relative\": the destination must be an absolute path");
        assertThat(error("[cache]\nprepared = \"local\"")).contains("prepared in [cache] must be an absolute path");
        assertThat(error("[registries]\nallowed = [\"registry.example.org/lab\"]")).contains("host[:port]");
        assertThat(error("[modules.a]\ndefault = \"yes\"")).contains("default in [modules.a] must be true or false");
        assertThat(error("[modules.a]\nenv = \"X=1\"")).contains("env in [modules.a] must be a table");
        assertThat(error("[modules.a]\nenv = { X = 1 }")).contains("X in [modules.a.env] must be a \"string\"");
        assertThat(error("[modules.a]\nenv = { \"X-Y\" = \"1\" }")).contains("X-Y in [modules.a.env] must be named by letters");
    }

    @Test
    void modulesAreTheDefaultOnesPlusThoseAskedForMinusThoseLeftOut() {
        SiteConfig site = parse("""
                [modules.mpi]
                default = true
                [modules.gpu]
                default = true
                [modules.licence]
                description = "licence server"
                """);
        assertThat(names(site.enabledModules(SiteChoice.DEFAULTS))).containsExactly("mpi", "gpu");
        assertThat(names(site.enabledModules(new SiteChoice(List.of("licence"), List.of("gpu"), false, false))))
                .containsExactly("mpi", "licence");
        assertThat(names(site.enabledModules(new SiteChoice(List.of("gpu"), List.of(), true, false)))).containsExactly("gpu");
        assertThatThrownBy(() -> site.enabledModules(new SiteChoice(List.of("cuda"), List.of(), false, false)))
                .hasMessage("no module \"cuda\" in the site configuration /etc/berth/berth.toml; it defines: mpi, gpu, licence");
        assertThatThrownBy(() -> site.enabledModules(new SiteChoice(List.of(), List.of("mip"), false, false)))
                .hasMessageContaining("no module \"mip\"");
        assertThatThrownBy(() -> SiteConfig.none(FILE).enabledModules(new SiteChoice(List.of("mpi"), List.of(), false, false)))
                .hasMessage("no module \"mpi\" in the site configuration /etc/berth/berth.toml; there is none on this machine");
    }

    private static List<String> names(List<SiteModule> modules) {
        return modules.stream().map(SiteModule::name).toList();
    }

    @Test
    void pullsAreRefusedFromRegistriesTheSiteDoesNotList() {
        SiteConfig site = parse("[registries]\nallowed = [\"registry.example.org\"]");
        site.requirePullAllowed("registry.example.org");
        assertThatThrownBy(() -> site.requirePullAllowed("docker.io")).hasMessage("the site configuration /etc/berth/berth.toml "
                + "does not allow pulls from docker.io; [registries] allowed lists registry.example.org");
        parse("").requirePullAllowed("docker.io");
    }

    @Test
    void defaultBindsMissingHereAreLeftOutButAModulesMissingFileStopsTheRun() throws IOException {
        Path scratch = Files.createDirectory(temp.resolve("scratch"));
        Path mpi = Files.createDirectory(temp.resolve("mpi"));
        SiteConfig site = parse("[binds]\ndefault = [\"" + scratch + "\", \"" + temp.resolve("absent") + "\"]\n"
                + "[modules.mpi]\ndefault = true\nbinds = [\"" + mpi + ":/opt/mpi:ro\"]\nenv = { MPI_HOME = \"/opt/mpi\" }\n"
                + "[modules.broken]\nbinds = [\"" + temp.resolve("gone") + "\"]\n");
        InjectionPlan plan = SiteInjection.plan(site, SiteChoice.DEFAULTS);
        assertThat(plan.binds()).containsExactly(new Bind(scratch.toRealPath(), scratch, false),
                new Bind(mpi.toRealPath(), Path.of("/opt/mpi"), true));
        assertThat(plan.environment()).containsExactly(Map.entry("MPI_HOME", "/opt/mpi"));
        InjectionPlan narrowed = SiteInjection.plan(site, new SiteChoice(List.of(), List.of(), true, true));
        assertThat(narrowed.binds()).isEmpty();
        assertThat(narrowed.environment()).isEmpty();
        assertThatThrownBy(() -> SiteInjection.plan(site, new SiteChoice(List.of("broken"), List.of(), false, false)))
                .hasMessage("module broken of the site configuration " + FILE + " binds " + temp.resolve("gone")
                        + ", which is not on this node");
    }

    @Test
    void aFileOthersCanChangeIsIgnoredWithOneWarning() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("etc"));
        Path file = Files.writeString(directory.resolve("berth.toml"), "[binds]\ndefault = [\"/scratch\"]\n");
        assertThat(load(file)).isPresent();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(warningFor(file)).isEqualTo("ignoring the site configuration " + file + ": " + file.toRealPath()
                + " can be written by users other than root, and berth obeys only a file that nobody but root can change");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(warningFor(file)).contains(directory.toRealPath() + " can be written by users other than root");
        Files.setAttribute(directory, "unix:mode", 01777);
        assertThat(load(file)).as("nobody but root can replace root's file in a sticky directory, as in /tmp").isPresent();
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path elsewhere = Files.writeString(temp.resolve("writable.toml"), "[binds]\ndefault = [\"/scratch\"]\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path link = directory.resolve("linked.toml");
        Files.createSymbolicLink(link, elsewhere);
        assertThat(warningFor(link)).as("a link is judged by what it leads to").contains(elsewhere.toRealPath() + " can be written");
    }

    @Test
    void aFileOfAnotherUserIsIgnored() throws IOException {
        assumeThat(ME).as("only root can give a file to another user").isZero();
        Path file = Files.writeString(temp.resolve("berth.toml"), "[binds]\ndefault = [\"/scratch\"]\n");
        Files.setAttribute(file, "unix:uid", 65534);
        assertThat(warningFor(file)).contains(file.toRealPath() + " belongs to uid 65534, not to root");
    }

    private static Optional<SiteConfig> load(Path file) throws IOException {
        List<String> warnings = new ArrayList<>();
        SiteConfig site = SiteConfigReader.load(file, ME, warnings::add);
        return site.inUse() && warnings.isEmpty() ? Optional.of(site) : Optional.empty();
    }

    private static String warningFor(Path file) throws IOException {
        List<String> warnings = new ArrayList<>();
        SiteConfig site = SiteConfigReader.load(file, ME, warnings::add);
        assertThat(site.inUse()).isFalse();
        assertThat(site.defaultBinds()).isEmpty();
        assertThat(warnings).hasSize(1);
        return warnings.getFirst();
    }
}
