package dev.berth.distribution.config;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BerthConfigTest {
    private static final Path BASE = Path.of("/etc/berth");

    @Test
    void readsTheDocumentedRegistrySettings() {
        BerthConfig config = BerthConfig.parse("""
                # berth configuration
                [registries."registry.example.org:5000"]
                insecure = true   # plain HTTP
                ca = "certs/site-ca.pem"
                client_certificate = "certs/me.pem"
                client_key = "certs/me.key"
                mirrors = ["mirror-a.example.org", "mirror-b.example.org:5000"]

                [registries."docker.io"]
                mirrors = [ "dockerhub-cache.hpc.example.edu" ]
                """, "config.toml", BASE);

        RegistrySettings site = config.registry("registry.example.org:5000");
        assertThat(site.insecure()).isTrue();
        assertThat(site.caBundles()).containsExactly(Path.of("/etc/berth/certs/site-ca.pem"));
        assertThat(site.client()).contains(new RegistrySettings.ClientCertificate(Path.of("/etc/berth/certs/me.pem"),
                Path.of("/etc/berth/certs/me.key")));
        assertThat(site.mirrors()).containsExactly("mirror-a.example.org", "mirror-b.example.org:5000");
        assertThat(config.registry("docker.io").mirrors()).containsExactly("dockerhub-cache.hpc.example.edu");
        assertThat(config.registry("ghcr.io")).isEqualTo(RegistrySettings.DEFAULT);
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> BerthConfig.parse("[registries.\"a\"]\nclient_certificate = \"me.pem\"\n", "config.toml", BASE))
                .isInstanceOf(BerthException.class)
                .hasMessage("config.toml [registries.\"a\"]: client_certificate and client_key go together");
    }

    @Test
    void theCertificateDirectoriesAddTheSystemBundleAndWhatTheRegistrysDirectoryHolds(@TempDir Path temp) throws IOException {
        Path host = Files.createDirectories(temp.resolve("config/containers/certs.d/registry.example.org:5000"));
        Files.writeString(host.resolve("ca.crt"), "");
        Files.writeString(host.resolve("client.cert"), "");
        Files.writeString(host.resolve("client.key"), "");
        Files.writeString(host.resolve("notes.txt"), "");
        Path system = Files.writeString(temp.resolve("system.pem"), "");
        BerthConfig config = BerthConfig.parse("[registries.\"registry.example.org:5000\"]\nca = \"/site/ca.pem\"\n", "config.toml", BASE)
                .withCertificates(CertificateSources.fromEnvironment(Map.of("SSL_CERT_FILE", system.toString(),
                        "XDG_CONFIG_HOME", temp.resolve("config").toString())));

        RegistrySettings settings = config.registry("registry.example.org:5000");

        assertThat(settings.caBundles()).containsExactly(Path.of("/site/ca.pem"), system, host.resolve("ca.crt"));
        assertThat(settings.client()).contains(new RegistrySettings.ClientCertificate(host.resolve("client.cert"),
                host.resolve("client.key")));
        assertThat(config.registry("other.example.org").caBundles()).containsExactly(system);
        assertThat(config.registry("other.example.org").client()).isEmpty();

        Files.delete(host.resolve("client.key"));
        assertThatThrownBy(() -> config.registry("registry.example.org:5000")).isInstanceOf(BerthException.class)
                .hasMessageContaining("has no key client.key beside it");
    }

    @Test
    void mistakesNameTheLine() {
        assertThatThrownBy(() -> BerthConfig.parse("[registries.\"a\"]\ninsecure = yes\n", "config.toml", BASE))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("config.toml line 2");
        assertThatThrownBy(() -> BerthConfig.parse("[registries.\"a\"]\ninsecur = true\n", "config.toml", BASE))
                .hasMessageContaining("unknown setting \"insecur\"");
        // an array may go on over lines, so the file ends inside it
        assertThatThrownBy(() -> BerthConfig.parse("[registries.\"a\"]\nmirrors = [\"x\"\n", "config.toml", BASE))
                .hasMessageContaining("config.toml line 3");
        assertThatThrownBy(() -> BerthConfig.parse("x = 1\nx = 2\n", "config.toml", BASE))
                .hasMessageContaining("config.toml line").hasMessageContaining("Duplicate key");
        assertThatThrownBy(() -> BerthConfig.parse("[build]\njobs = 8\n", "config.toml", BASE))
                .hasMessage("config.toml [build]: unknown setting \"jobs\" (known: cache_limit)");
        assertThatThrownBy(() -> BerthConfig.parse("[builds]\ncache_limit = \"1G\"\n", "config.toml", BASE))
                .hasMessageContaining("unknown setting \"cache_limit\" [builds]");
    }

    @Test
    void theBuildCacheLimitIsASize() {
        assertThat(BerthConfig.parse("[build]\ncache_limit = \"20GB\"\n", "config.toml", BASE).buildCacheLimit()).contains(20L << 30);
        assertThat(BerthConfig.parse("[build]\ncache_limit = 0\n", "config.toml", BASE).buildCacheLimit()).contains(0L);
        assertThat(BerthConfig.parse("[registries.\"a\"]\ninsecure = true\n", "config.toml", BASE).buildCacheLimit()).isEmpty();
        assertThatThrownBy(() -> BerthConfig.parse("[build]\ncache_limit = \"lots\"\n", "config.toml", BASE))
                .hasMessage("config.toml [build]: cache_limit must be a size such as \"20GB\" (units B, K, M, G, T), not \"lots\"");
    }

    @Test
    void theUserFileComesBeforeTheSystemFile() {
        assertThat(BerthConfig.candidates(Map.of("XDG_CONFIG_HOME", "/home/u/.cfg")))
                .isEqualTo(List.of(Path.of("/home/u/.cfg/berth/config.toml"), Path.of("/etc/berth/config.toml")));
        assertThat(BerthConfig.candidates(Map.of("BERTH_CONFIG", "/tmp/b.toml"))).containsExactly(Path.of("/tmp/b.toml"));
    }
}
