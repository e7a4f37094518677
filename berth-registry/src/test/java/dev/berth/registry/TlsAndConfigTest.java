package dev.berth.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS with a PEM key pair, and the config file that turns it on. */
class TlsAndConfigTest {

    @Test
    void configFileSetsEveryKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("registry.toml");
        Files.writeString(file, """
                # a comment
                listen = "0.0.0.0:5443"   # trailing comment
                root = "store"
                delete-enabled = false
                gc-interval = "30m"
                gc-grace = "2h"
                upload-expiry = "3d"
                untagged-retention = "14d"
                tls-certificate = "cert.pem"
                tls-key = "key.pem"
                manifest-cache-mib = 16
                access-log = false
                max-connections = 100
                max-uploads = 8
                """);
        RegistryConfig config = RegistryConfigFile.read(file, RegistryConfig.defaults(dir.resolve("default")));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(5443);
        assertThat(config.root()).isEqualTo(dir.resolve("store"));
        assertThat(config.deleteEnabled()).isFalse();
        assertThat(config.gcInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.gcGrace()).isEqualTo(Duration.ofHours(2));
        assertThat(config.uploadExpiry()).isEqualTo(Duration.ofDays(3));
        assertThat(config.untaggedRetention()).isEqualTo(Duration.ofDays(14));
        assertThat(RegistryConfig.defaults(dir).untaggedRetention()).as("kept until deleted").isNull();
        assertThat(config.tls()).isTrue();
        assertThat(config.tlsKey()).isEqualTo(dir.resolve("key.pem"));
        assertThat(config.manifestCacheBytes()).isEqualTo(16L << 20);
        assertThat(config.accessLog()).isFalse();
        assertThat(config.maxConnections()).isEqualTo(100);
        assertThat(config.maxUploads()).isEqualTo(8);
    }

    @Test
    void configErrorsNameTheKeyOrTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "listen = \"127.0.0.1:5000\"\ncolour = \"blue\"\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .hasMessageContaining(file.toString()).hasMessageContaining("unknown key \"colour\"");
        Files.writeString(file, "[auth]\ntoken-lifetme = \"5m\"\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .hasMessageContaining("unknown key \"token-lifetme\" in [auth]");
        Files.writeString(file, "[authentication]\nrealm = \"x\"\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .hasMessageContaining("unknown table [authentication]");
        Files.writeString(file, "gc-interval = \"soon\"\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .hasMessageContaining("invalid duration");
        Files.writeString(file, "listen = \"127.0.0.1:5000\"\ngc-interval = soon\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .as("not TOML: strings need quotes").hasMessageContaining("line 2");
        Files.writeString(file, "max-uploads = 0\n");
        assertThatThrownBy(() -> RegistryConfigFile.read(file, RegistryConfig.defaults(dir)))
                .hasMessageContaining("max-uploads must be a whole number of at least 1");
    }

    @Test
    void servesHttpsWithAPemCertificateAndKey(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Tools.ok(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        try (TestRegistry registry = TestRegistry.start(dir.resolve("root"), config -> config.withTls(cert, key))) {
            assertThat(registry.url()).startsWith("https://127.0.0.1:");
            String ping = Tools.ok(dir, "curl", "-sS", "--cacert", cert.toString(), registry.url() + "/v2/");
            assertThat(ping).isEqualTo("{}");
            Path layout = TestImages.multiArch(dir);
            // containers/image trusts the *.crt files of a cert dir as CAs
            Path certs = Files.createDirectories(dir.resolve("certs"));
            Files.copy(cert, certs.resolve("ca.crt"));
            Tools.ok(dir, "skopeo", "copy", "--all", "--dest-cert-dir", certs.toString(), "oci:" + layout + ":multi",
                    "docker://" + registry.hostPort() + "/tls/multi:v1");
            String raw = Tools.ok(dir, "skopeo", "inspect", "--cert-dir", certs.toString(), "--raw",
                    "docker://" + registry.hostPort() + "/tls/multi:v1");
            assertThat(raw).contains("application/vnd.oci.image.index.v1+json");
        }
    }

    @Test
    void halfATlsKeyPairIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> TestRegistry.start(dir, config -> config.withTls(dir.resolve("cert.pem"), null)))
                .hasMessageContaining("needs both tls-certificate and tls-key");
    }
}
