package dev.berth.distribution.config;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

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
                mirrors = ["mirror-a.example.org", "mirror-b.example.org:5000"]

                [registries."docker.io"]
                mirrors = [ "dockerhub-cache.hpc.example.edu" ]
                """, "config.toml", BASE);

        RegistrySettings site = config.registry("registry.example.org:5000");
        assertThat(site.insecure()).isTrue();
        assertThat(site.caBundle()).isEqualTo(Path.of("/etc/berth/certs/site-ca.pem"));
        assertThat(site.mirrors()).containsExactly("mirror-a.example.org", "mirror-b.example.org:5000");
        assertThat(config.registry("docker.io").mirrors()).containsExactly("dockerhub-cache.hpc.example.edu");
        assertThat(config.registry("ghcr.io")).isEqualTo(RegistrySettings.DEFAULT);
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
                .hasMessageContaining("unknown setting \"jobs\" [build]");
    }

    @Test
    void theUserFileComesBeforeTheSystemFile() {
        assertThat(BerthConfig.candidates(Map.of("XDG_CONFIG_HOME", "/home/u/.cfg")))
                .isEqualTo(List.of(Path.of("/home/u/.cfg/berth/config.toml"), Path.of("/etc/berth/config.toml")));
        assertThat(BerthConfig.candidates(Map.of("BERTH_CONFIG", "/tmp/b.toml"))).containsExactly(Path.of("/tmp/b.toml"));
    }
}
