package dev.berth.distribution;

import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.distribution.testing.Clients;
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
        BerthConfig config = BerthConfig.parse(configText, "config.toml", shared.resolve("tls"));
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
    void theDeferredTlsOfPlainClientsStillSpeaksTlsWhenAsked() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(LazyTls.context()).sslParameters(LazyTls.parameters()).build();

        // The handshake runs (with the JDK's defaults) and rejects the self-signed certificate.
        assertThatThrownBy(() -> client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://" + tls.host() + "/v2/")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void theSiteCaBundleFromTheConfigMakesTheRegistryTrusted() throws Exception {
        ImageTransfer transfer = transfer("# site CA\n[registries.\"" + tls.host() + "\"]\nca = \"server.pem\"\n");

        ImageTransfer.Result pulled = transfer.copy(at("docker://" + tls.host() + "/lib/tool:1"), at("berth:"),
                PlatformChoice.host());

        assertThat(pulled.root().digest()).isEqualTo(originImage.digest());
    }
}
