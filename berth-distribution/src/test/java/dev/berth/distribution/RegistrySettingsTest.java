package dev.berth.distribution;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.distribution.http.Proxies;
import dev.berth.distribution.testing.Clients;
import dev.berth.distribution.testing.ConnectProxy;
import dev.berth.distribution.testing.CountingListener;
import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.Programs;
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

import java.nio.file.Path;
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
    static TlsFiles tlsFiles;
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
    }

    @AfterAll
    static void stopRegistries() {
        origin.close();
        mirror.close();
        tls.close();
    }

    private ImageTransfer transfer(String configText) throws Exception {
        return transfer(configText, Proxies.NONE);
    }

    private ImageTransfer transfer(String configText, Proxies proxies) throws Exception {
        BerthConfig config = BerthConfig.parse(configText, "config.toml", shared.resolve("tls")).withProxies(proxies);
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
        String registry = TlsFiles.PROXIED_NAME + ":" + tls.host().substring(tls.host().lastIndexOf(':') + 1);
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
    void theSiteCaBundleFromTheConfigMakesTheRegistryTrusted() throws Exception {
        ImageTransfer transfer = transfer("# site CA\n[registries.\"" + tls.host() + "\"]\nca = \"server.pem\"\n");

        ImageTransfer.Result pulled = transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"),
                PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(originImage.digest());
    }
}
