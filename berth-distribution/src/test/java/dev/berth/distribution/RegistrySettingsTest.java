package dev.berth.distribution;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.config.CertificateSources;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.distribution.http.Proxies;
import dev.berth.distribution.testing.Clients;
import dev.berth.distribution.testing.ConnectProxy;
import dev.berth.distribution.testing.CountingListener;
import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.Programs;
import dev.berth.distribution.testing.Squid;
import dev.berth.distribution.testing.TestImages;
import dev.berth.distribution.testing.TlsFiles;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.berth.distribution.testing.Clients.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the config file changes: a site CA for a TLS registry, and mirrors tried before the origin. */
class RegistrySettingsTest {
    @TempDir
    static Path shared;
    static DockerRegistry origin;
    static DockerRegistry mirror;
    static DockerRegistry tls;
    static DockerRegistry mutual;
    static TlsFiles tlsFiles;
    static TlsFiles clientFiles;
    static ManifestBytes originImage;
    static ManifestBytes mirrorImage;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistries() throws Exception {
        origin = DockerRegistry.builder(shared.resolve("origin")).start();
        mirror = DockerRegistry.builder(shared.resolve("mirror")).start();
        tlsFiles = TlsFiles.forLoopback(shared.resolve("tls"));
        tls = DockerRegistry.builder(shared.resolve("tls-registry")).tls(tlsFiles.certificate(), tlsFiles.key()).start();
        clientFiles = TlsFiles.forClient(shared.resolve("client"));
        mutual = DockerRegistry.builder(shared.resolve("mutual-registry"))
                .mutualTls(tlsFiles.certificate(), tlsFiles.key(), clientFiles.certificate()).start();
        Path layoutDir = shared.resolve("seed");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        originImage = TestImages.image(layout, Platform.host(), 21, 10_000);
        mirrorImage = TestImages.image(layout, Platform.host(), 22, 10_000);
        layout.tag(dev.berth.oci.Reference.parse("localhost/x:origin"), originImage);
        layout.tag(dev.berth.oci.Reference.parse("localhost/x:mirror"), mirrorImage);
        layout.commit();
        Programs.skopeoCopy("oci:" + layoutDir + ":origin", "docker://" + origin.host() + "/lib/tool:1");
        Programs.skopeoCopy("oci:" + layoutDir + ":origin", "docker://" + origin.host() + "/lib/other:1");
        // The mirror serves a different image under the same name, so a test can tell who answered.
        Programs.skopeoCopy("oci:" + layoutDir + ":mirror", "docker://" + mirror.host() + "/lib/tool:1");
        Programs.skopeoCopy("oci:" + layoutDir + ":origin", "docker://" + tls.host() + "/lib/tool:1");
        Programs.skopeoCopy("oci:" + layoutDir + ":origin", "docker://" + mutual.host() + "/lib/tool:1",
                "--dest-cert-dir", certsDirectory(shared.resolve("skopeo-certs")));
    }

    /** A containers-certs.d directory with the client certificate and the registry's CA, as skopeo and berth read them. */
    private static String certsDirectory(Path directory) throws Exception {
        Files.createDirectories(directory);
        Files.copy(clientFiles.certificate(), directory.resolve("client.cert"));
        Files.copy(clientFiles.key(), directory.resolve("client.key"));
        Files.copy(tlsFiles.certificate(), directory.resolve("ca.crt"));
        return directory.toString();
    }

    @AfterAll
    static void stopRegistries() {
        origin.close();
        mirror.close();
        tls.close();
        mutual.close();
    }

    private ImageTransfer transfer(String configText) throws Exception {
        return transfer(configText, Proxies.NONE);
    }

    private ImageTransfer transfer(String configText, Proxies proxies) throws Exception {
        return transfer(BerthConfig.parse(configText, "config.toml", shared.resolve("tls")).withProxies(proxies));
    }

    /** With the machine's certificates as this environment finds them (the system's certs.d directories included). */
    private ImageTransfer transferWithCertificates(String configText, Map<String, String> environment) throws Exception {
        return transfer(BerthConfig.parse(configText, "config.toml", shared.resolve("tls"))
                .withCertificates(CertificateSources.fromEnvironment(environment)));
    }

    private ImageTransfer transfer(BerthConfig config) throws Exception {
        return Clients.transfer(Clients.registries(config, work.resolve("auth.json"), Clients.QUICK_RETRIES),
                LocalStore.open(work.resolve("store")), new CountingListener());
    }

    @Test
    void aMirrorThatHasTheImageAnswersFirst() throws Exception {
        ImageTransfer transfer = transfer("[registries.\"" + origin.host() + "\"]\nmirrors = [\"" + mirror.host() + "\"]\n");

        ImageTransfer.Result pulled = transfer.copy(at("docker://" + origin.host() + "/lib/tool:1"), at("berth:"),
                PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(mirrorImage.digest());
        assertThat(pulled.name().registry()).as("the image keeps its origin's name").isEqualTo(origin.host());
    }

    @Test
    void aMirrorWithoutTheImageOrUnreachableFallsBackToTheOrigin() throws Exception {
        int closedPort = DockerRegistry.freePort();
        ImageTransfer transfer = transfer("[registries.\"" + origin.host() + "\"]\nmirrors = [\"127.0.0.1:" + closedPort
                + "\", \"" + mirror.host() + "\"]\n");

        ImageTransfer.Result pulled = transfer.copy(at("docker://" + origin.host() + "/lib/other:1"), at("berth:"),
                PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(originImage.digest());
    }

    @Test
    void aRegistryWithAnUnknownCertificateIsRefusedWithAHint() throws Exception {
        ImageTransfer transfer = transfer("");

        assertThatThrownBy(() -> transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"),
                PlatformChoice.host()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("cannot connect to " + tls.host() + " securely")
                .hasMessageContaining("ca = ");
    }

    @Test
    void anHttpsRegistryIsReachedThroughTheProxyInHttpsProxy() throws Exception {
        String registry = TlsFiles.PROXIED_NAME + ":" + port(tls);
        try (ConnectProxy proxy = new ConnectProxy()) {
            ImageTransfer transfer = transfer("[registries.\"" + registry + "\"]\nca = \"server.pem\"\n",
                    Proxies.fromEnvironment(Map.of("HTTPS_PROXY", proxy.url("lab:s%40cret"), "NO_PROXY", "example.org")));

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + registry + "/lib/tool:1"), at("berth:"),
                    PlatformChoice.host());

            assertThat(pulled.root().digest()).isEqualTo(originImage.digest());
            assertThat(proxy.requests()).isNotEmpty().allSatisfy(request -> assertThat(request)
                    .startsWith("CONNECT " + registry + " HTTP/1.1\r\n")
                    .contains("Proxy-Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("lab:s@cret".getBytes())));
        }
    }

    @Test
    void theSystemBundleThatSslCertFileNamesMakesTheRegistryTrusted() throws Exception {
        ImageTransfer transfer = transferWithCertificates("", Map.of("SSL_CERT_FILE", tlsFiles.certificate().toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString()));

        assertThat(transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"), PlatformChoice.host()).root().digest())
                .isEqualTo(originImage.digest());
    }

    @Test
    void aCaInTheUsersCertsDirectoryMakesTheRegistryTrusted() throws Exception {
        Path directory = Files.createDirectories(work.resolve("config/containers/certs.d").resolve(tls.host()));
        Files.copy(tlsFiles.certificate(), directory.resolve("site-ca.crt"));
        ImageTransfer transfer = transferWithCertificates("", Map.of("SSL_CERT_FILE", clientFiles.certificate().toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString()));

        assertThat(transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"), PlatformChoice.host()).root().digest())
                .isEqualTo(originImage.digest());
    }

    @Test
    void aRegistryThatDemandsAClientCertificateGetsTheOneCertsDirectoryOrConfigNames() throws Exception {
        Map<String, String> environment = Map.of("SSL_CERT_FILE", tlsFiles.certificate().toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString());
        String image = "docker://" + mutual.host() + "/lib/tool:1";
        assertThatThrownBy(() -> transferWithCertificates("", environment).copy(at(image), at("berth:"), PlatformChoice.host()))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(mutual.host() + " asks for a client certificate (mutual TLS): put client.cert and client.key in");

        ImageTransfer configured = transferWithCertificates("[registries.\"" + mutual.host() + "\"]\nclient_certificate = \""
                + clientFiles.certificate() + "\"\nclient_key = \"" + clientFiles.key() + "\"\n", environment);
        assertThat(configured.copy(at(image), at("berth:"), PlatformChoice.host()).root().digest()).isEqualTo(originImage.digest());

        certsDirectory(work.resolve("config/containers/certs.d").resolve(mutual.host()));
        ImageTransfer fromDirectory = transferWithCertificates("", Map.of("SSL_CERT_FILE", clientFiles.certificate().toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString()));
        assertThat(fromDirectory.copy(at(image), at("berth:"), PlatformChoice.host()).root().digest()).isEqualTo(originImage.digest());
    }

    @Test
    void registriesAreReachedThroughARealForwardProxyOverHttpsAndPlainHttp() throws Exception {
        String httpsRegistry = TlsFiles.PROXIED_NAME + ":" + port(tls);
        String plainRegistry = TlsFiles.PROXIED_NAME + ":" + port(origin);
        try (Squid squid = Squid.start(List.of(TlsFiles.PROXIED_NAME))) {
            ImageTransfer transfer = transfer("[registries.\"" + httpsRegistry + "\"]\nca = \"server.pem\"\n"
                    + "[registries.\"" + plainRegistry + "\"]\ninsecure = true\n", Proxies.fromEnvironment(squid.environment()));

            assertThat(transfer.copy(at("docker://" + httpsRegistry + "/lib/tool:1"), at("berth:"), PlatformChoice.host())
                    .root().digest()).isEqualTo(originImage.digest());
            assertThat(transfer.copy(at("docker://" + plainRegistry + "/lib/other:1"), at("berth:"), PlatformChoice.host())
                    .root().digest()).isEqualTo(originImage.digest());

            // registry.test resolves in squid only, so both pulls went through it; a tunnel is logged when it closes
            assertThat(squid.requests()).as("squid's access log")
                    .anyMatch(line -> line.contains(" CONNECT " + TlsFiles.PROXIED_NAME + ":"))
                    .anyMatch(line -> line.contains(" GET http://" + plainRegistry + "/v2/lib/other/manifests/1 "));
        }
    }

    private static String port(DockerRegistry registry) {
        return registry.host().substring(registry.host().lastIndexOf(':') + 1);
    }

    @Test
    void theSiteCaBundleFromTheConfigMakesTheRegistryTrusted() throws Exception {
        ImageTransfer transfer = transfer("# site CA\n[registries.\"" + tls.host() + "\"]\nca = \"server.pem\"\n");

        ImageTransfer.Result pulled = transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"),
                PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(originImage.digest());
    }
}
