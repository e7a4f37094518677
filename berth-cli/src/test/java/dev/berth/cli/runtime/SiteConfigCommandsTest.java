package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.runtime.site.SiteConfigReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The site configuration (/etc/berth/berth.toml) as an ordinary user meets it: what the site binds
 * and sets in every container, modules asked for and left out, pulls from registries the site does
 * not allow, prepared images on the node's own disk, and a site file that is not the admin's alone.
 */
class SiteConfigCommandsTest {
    private static final String IMAGE = "site:1";
    private static UnprivilegedUser user;
    private static Path host;
    private static Path site;

    @BeforeAll
    static void createUserImageAndSite() throws Exception {
        assumeThat(System.getProperty("user.name")).as("the site file must belong to root: run the suite as root to test it")
                .isEqualTo("root");
        user = UnprivilegedUser.create();
        Path layout = UmociImages.busybox(user.workspace().resolve("layout"), "1", 0);
        host = user.workspace().resolve("host");
        Files.createDirectories(host.resolve("scratch"));
        Files.writeString(host.resolve("scratch/marker"), "scratch of the site\n");
        Files.createDirectories(host.resolve("mpi"));
        Files.writeString(host.resolve("mpi/marker"), "the site's MPI\n");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        user.sh(user.scratch().toString(), own("berth import " + layout + " --name " + IMAGE)).assertSuccess("import");
        site = siteFile("site", String.join("\n",
                "[binds]",
                "default = [\"" + host.resolve("scratch") + ":/scratch\", \"" + host.resolve("absent") + ":/absent\"]",
                "[modules.mpi]",
                "description = \"the site's MPI\"",
                "default = true",
                "binds = [\"" + host.resolve("mpi") + ":/opt/mpi:ro\"]",
                "env = { MPI_FLAVOUR = \"site-mpi\" }",
                "[modules.licence.env]",
                "LICENCE_SERVER = \"27000@licence.example.org\"", ""));
    }

    @AfterAll
    static void removeWorkspace() {
        if (user != null) {
            user.close();
        }
    }

    /** A site file as the admin (root) leaves it: readable by all, writable by root alone. */
    private static Path siteFile(String name, String text) throws Exception {
        Path file = Files.writeString(user.workspace().resolve(name + ".toml"), text);
        Tools.ok(user.workspace(), "chmod", "644", file.toString());
        return file;
    }

    /**
     * {@code commandLine} with a store, a cache and a config directory of this test's own: other
     * test classes, in this run or in another checkout's, empty the user's default ones when they
     * start, or leave an execution policy there.
     */
    private static String own(String commandLine) {
        return "BERTH_DATA_DIR=" + user.scratch().resolve("data") + " BERTH_CACHE_DIR=" + user.scratch().resolve("cache")
                + " XDG_CONFIG_HOME=" + user.scratch().resolve("config") + " " + commandLine;
    }

    /** Runs {@code commandLine} as the user with {@code file} as the site configuration. */
    private static Tools.Result with(Path file, String commandLine) {
        return user.sh(user.scratch().toString(), "JAVA_TOOL_OPTIONS=-D" + SiteConfigReader.LOCATION_PROPERTY + "=" + file
                + " " + own(commandLine));
    }

    /** berth's own lines on standard error (the JVM announces JAVA_TOOL_OPTIONS too). */
    private static List<String> berthLines(Tools.Result result) {
        return result.stderr().lines().filter(line -> !line.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
    }

    private static String oneErrorLine(Tools.Result result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        assertThat(berthLines(result)).hasSize(1);
        return berthLines(result).getFirst();
    }

    private static final String SHOW = " sh -c 'busybox cat /scratch/marker /opt/mpi/marker 2>/dev/null; echo \"mpi=$MPI_FLAVOUR licence=$LICENCE_SERVER\";"
            + " test -e /absent || echo no-absent'";

    @Test
    void defaultBindsAndDefaultModulesReachEveryContainerUntilLeftOut() {
        Tools.Result defaults = with(site, "berth exec " + IMAGE + SHOW).assertSuccess("exec with the site's defaults");
        assertThat(defaults.stdout()).isEqualTo("scratch of the site\nthe site's MPI\nmpi=site-mpi licence=\nno-absent\n");
        assertThat(berthLines(defaults)).as("a default bind this node lacks is left out silently").isEmpty();

        assertThat(with(site, "berth exec --module licence -e MPI_FLAVOUR=mine " + IMAGE + SHOW).assertSuccess("--module").stdout())
                .as("a module asked for adds its variables; the user's -e wins over a module's")
                .isEqualTo("scratch of the site\nthe site's MPI\nmpi=mine licence=27000@licence.example.org\nno-absent\n");
        assertThat(with(site, "berth exec --no-modules --no-default-binds " + IMAGE + SHOW).assertSuccess("left out").stdout())
                .isEqualTo("mpi= licence=\nno-absent\n");
        assertThat(with(site, "berth exec --no-module mpi --module licence " + IMAGE + SHOW).assertSuccess("--no-module").stdout())
                .isEqualTo("scratch of the site\nmpi= licence=27000@licence.example.org\nno-absent\n");
        Tools.Result write = with(site, "berth exec " + IMAGE + " busybox touch /opt/mpi/changed");
        assertThat(write.exitCode()).as("the module binds its files read-only").isNotZero();
        assertThat(host.resolve("mpi/changed")).doesNotExist();
    }

    @Test
    void aModuleTheSiteDoesNotDefineIsOneLineListingThoseItDoes() {
        assertThat(oneErrorLine(with(site, "berth exec --module cuda,mpi " + IMAGE + " sh -c true")))
                .isEqualTo("berth: no module \"cuda\" in the site configuration " + site + "; it defines: mpi, licence");
    }

    @Test
    void anUnknownSettingIsOneLineNamingTheFileAndTheKey() throws Exception {
        Path misspelt = siteFile("misspelt", "[binds]\ndefaults = [\"/scratch\"]\n");
        assertThat(oneErrorLine(with(misspelt, "berth exec " + IMAGE + " sh -c true")))
                .isEqualTo("berth: " + misspelt + ": unknown setting \"defaults\" in [binds] (known there: default)");
    }

    @Test
    void aSiteFileAnyoneButRootCanChangeIsIgnoredWithOneWarning() throws Exception {
        Path writable = siteFile("writable", Files.readString(site));
        Tools.ok(user.workspace(), "chmod", "666", writable.toString());
        Tools.Result ignored = with(writable, "berth exec " + IMAGE + SHOW).assertSuccess("exec with an ignored site file");
        assertThat(ignored.stdout()).as("nothing of the file is used").isEqualTo("mpi= licence=\nno-absent\n");
        assertThat(berthLines(ignored)).containsExactly("berth: ignoring the site configuration " + writable + ": " + writable
                + " can be written by users other than root, and berth obeys only a file that nobody but root can change");

        Path users = siteFile("users", Files.readString(site));
        Tools.ok(user.workspace(), "chown", UnprivilegedUser.NAME, users.toString());
        Tools.Result theirs = with(users, "berth exec " + IMAGE + SHOW).assertSuccess("exec with the user's own site file");
        assertThat(theirs.stdout()).isEqualTo("mpi= licence=\nno-absent\n");
        assertThat(berthLines(theirs)).singleElement().asString().contains(users + " belongs to uid " + user.uid() + ", not to root");
    }

    @Test
    void pullsFromRegistriesTheSiteDoesNotAllowAreRefusedInOneLine() throws Exception {
        Path allowing = siteFile("allowing", "[registries]\nallowed = [\"registry.example.org\"]\n");
        String refusal = "the site configuration " + allowing + " does not allow pulls from 127.0.0.1:9; [registries] allowed lists "
                + "registry.example.org";
        assertThat(oneErrorLine(with(allowing, "berth pull 127.0.0.1:9/lab/app:1"))).isEqualTo("berth: " + refusal);
        assertThat(oneErrorLine(with(allowing, "berth copy docker://127.0.0.1:9/lab/app:1 oci:copied"))).isEqualTo("berth: " + refusal);
        assertThat(oneErrorLine(with(allowing, "berth exec 127.0.0.1:9/lab/app:1 sh -c true"))).isEqualTo("berth: no image "
                + "\"127.0.0.1:9/lab/app:1\" in the local store, and pulling it failed: " + refusal);
    }

    @Test
    void preparedImagesGoToTheSitesNodeLocalDirectoryRatherThanTheHomeDirectory() throws Exception {
        Path local = user.workspace().resolve("local");
        Files.createDirectory(local);
        Tools.ok(user.workspace(), "chmod", "1777", local.toString());
        Path nodeLocal = siteFile("node-local", "[cache]\nprepared = \"" + local + "\"\nshared = \"" + host.resolve("shared") + "\"\n");
        String xdg = user.home() + "/.cache-site-test";
        with(nodeLocal, "BERTH_CACHE_DIR= XDG_CACHE_HOME=" + xdg + " berth exec " + IMAGE + " sh -c true")
                .assertSuccess("exec with a node-local directory");
        Path mine = local.resolve(user.uid());
        assertThat(mine.resolve("sandboxes")).isNotEmptyDirectory();
        assertThat(Tools.ok(user.workspace(), "sh", "-c", "ls " + mine + "/images/*.sqfs").stdout()).isNotBlank();
        assertThat(Tools.ok(user.workspace(), "stat", "-c", "%a %u", mine.toString()).stdout().strip()).isEqualTo("700 " + user.uid());
        assertThat(Path.of(xdg)).as("XDG_CACHE_HOME is not a choice about berth: the site's directory wins").doesNotExist();

        String info = with(nodeLocal, "BERTH_CACHE_DIR= berth info").assertSuccess("info").stdout();
        assertThat(info).contains("cache: " + mine + "\n", "shared cache: " + host.resolve("shared") + "\n",
                "site config " + nodeLocal + ": in use\n");
        assertThat(with(nodeLocal, "BERTH_CACHE_DIR=/tmp/elsewhere BERTH_SHARED_CACHE=/sw/cache berth info").assertSuccess("info").stdout())
                .as("the caller's own choice of location wins").contains("cache: /tmp/elsewhere\n", "shared cache: /sw/cache\n");

        Path missing = siteFile("missing", "[cache]\nprepared = \"" + user.workspace().resolve("nowhere") + "\"\n");
        assertThat(oneErrorLine(with(missing, "BERTH_CACHE_DIR= berth exec " + IMAGE + " sh -c true"))).isEqualTo("berth: the node-local directory for "
                + "prepared images " + user.workspace().resolve("nowhere") + " ([cache] prepared in the site configuration " + missing
                + ") is not on this node; ask the admins, or name another with BERTH_CACHE_DIR");
    }

    @Test
    void infoShowsTheSiteFileItsDefaultBindsAndItsModules() {
        String info = with(site, "berth info").assertSuccess("info").stdout();
        assertThat(info).contains("site config " + site + ": in use\n", "site (" + site + "):\n",
                "default binds: " + host.resolve("scratch") + ", " + host.resolve("absent") + " (not on this node)\n",
                "allowed registries: (all)\n",
                "module mpi: default: the site's MPI\n",
                "module licence: with --module licence\n");
    }
}
