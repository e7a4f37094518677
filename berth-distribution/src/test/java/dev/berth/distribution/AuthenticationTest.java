package dev.berth.distribution;

import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.auth.Credentials;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.distribution.testing.Clients;
import dev.berth.distribution.testing.CountingListener;
import dev.berth.distribution.testing.DockerRegistry;
import dev.berth.distribution.testing.Programs;
import dev.berth.distribution.testing.TestImages;
import dev.berth.distribution.testing.TokenIssuer;
import dev.berth.oci.Platform;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.berth.distribution.testing.Clients.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Basic (htpasswd) and the Docker token protocol (real JWTs docker-registry verifies), with credentials from files. */
class AuthenticationTest {
    private static final String USER = "researcher";
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    static Path shared;
    static Path seedLayout;
    static ManifestBytes image;

    @TempDir
    Path work;

    @BeforeAll
    static void buildSeed() throws Exception {
        seedLayout = shared.resolve("seed");
        OciLayoutWriter layout = OciLayoutWriter.create(seedLayout);
        image = TestImages.image(layout, Platform.host(), 11, 50_000, 20_000);
        TestImages.tagAndCommit(layout, "1", image);
    }

    private ImageTransfer transferWith(Path credentialFile) throws Exception {
        return Clients.transfer(Clients.registries(credentialFile), LocalStore.open(work.resolve("store")),
                new CountingListener());
    }

    private Path credentialFileFor(String host, String password) throws Exception {
        Path file = work.resolve("config.json");
        new CredentialStore(List.of(file), file).store(host, new Credentials(USER, password));
        return file;
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Basic {
        DockerRegistry registry;

        @BeforeAll
        void start() throws Exception {
            Path htpasswd = Programs.htpasswd(shared.resolve("htpasswd"), USER, PASSWORD);
            registry = DockerRegistry.builder(shared.resolve("basic")).htpasswd(htpasswd).start();
            Programs.skopeoCopy("oci:" + seedLayout + ":1", "docker://" + registry.host() + "/private/image:1",
                    "--dest-creds", USER + ":" + PASSWORD);
        }

        @AfterAll
        void stop() {
            registry.close();
        }

        @Test
        void withoutCredentialsTheErrorSaysToLogIn() {
            assertThatThrownBy(() -> transferWith(work.resolve("none.json"))
                    .copy(at("docker://" + registry.host() + "/private/image:1"), at("berth:"), PlatformChoice.host()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("berth login " + registry.host());
        }

        @Test
        void storedCredentialsPullAndPush() throws Exception {
            ImageTransfer transfer = transferWith(credentialFileFor(registry.host(), PASSWORD));

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + registry.host() + "/private/image:1"),
                    at("berth:"), PlatformChoice.host());
            transfer.copy(at("berth:" + registry.host() + "/private/image:1"),
                    at("docker://" + registry.host() + "/private/copy:1"), PlatformChoice.ALL);

            assertThat(pulled.root().digest()).isEqualTo(image.digest());
            assertThat(Programs.skopeoDigest("docker://" + registry.host() + "/private/copy:1",
                    "--creds", USER + ":" + PASSWORD)).isEqualTo(image.digest());
        }

        @Test
        void aWrongPasswordIsRejectedWithoutShowingIt() throws Exception {
            ImageTransfer transfer = transferWith(credentialFileFor(registry.host(), "wrong-password"));

            assertThatThrownBy(() -> transfer.copy(at("docker://" + registry.host() + "/private/image:1"),
                    at("berth:"), PlatformChoice.host()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("rejected the user name or password of " + USER)
                    .hasMessageNotContaining("wrong-password");
        }
    }

    /** Registries on S3 or behind a CDN answer blob GETs with a redirect to another host. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RedirectedBlobs {
        HttpServer storage;
        final List<String> storageRequests = new CopyOnWriteArrayList<>();
        DockerRegistry registry;

        @BeforeAll
        void start() throws Exception {
            Path htpasswd = Programs.htpasswd(shared.resolve("htpasswd-redirect"), USER, PASSWORD);
            storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            DockerRegistry.Builder builder = DockerRegistry.builder(shared.resolve("redirect")).htpasswd(htpasswd)
                    .redirectBlobsTo("http://127.0.0.1:" + storage.getAddress().getPort());
            Files.createDirectories(builder.storage());
            HttpHandler files = SimpleFileServer.createFileHandler(builder.storage().toAbsolutePath());
            storage.createContext("/", exchange -> {
                storageRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                        + " authorization=" + exchange.getRequestHeaders().getFirst("Authorization"));
                files.handle(exchange);
            });
            storage.start();
            registry = builder.start();
            Programs.skopeoCopy("oci:" + seedLayout + ":1", "docker://" + registry.host() + "/private/image:1",
                    "--dest-creds", USER + ":" + PASSWORD);
        }

        @AfterAll
        void stop() {
            registry.close();
            storage.stop(0);
        }

        @Test
        void blobsComeFromTheStorageHostWhichNeverSeesTheCredentials() throws Exception {
            ImageTransfer transfer = transferWith(credentialFileFor(registry.host(), PASSWORD));

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + registry.host() + "/private/image:1"),
                    at("berth:"), PlatformChoice.host());

            assertThat(pulled.root().digest()).isEqualTo(image.digest());
            assertThat(storageRequests).as("the layers and the config, fetched from the storage host")
                    .hasSizeGreaterThanOrEqualTo(image.references().size())
                    .allSatisfy(request -> assertThat(request).contains("/blobs/").endsWith("authorization=null"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Bearer {
        TokenIssuer issuer;
        DockerRegistry registry;

        @BeforeAll
        void start() throws Exception {
            Path dir = shared.resolve("token");
            issuer = TokenIssuer.start(dir, USER, PASSWORD, 300);
            registry = DockerRegistry.builder(dir.resolve("registry"))
                    .token(issuer.realm(), TokenIssuer.SERVICE, TokenIssuer.ISSUER, issuer.rootCertificate(dir))
                    .start();
            Programs.skopeoCopy("oci:" + seedLayout + ":1", "docker://" + registry.host() + "/team/image:1",
                    "--dest-creds", USER + ":" + PASSWORD);
        }

        @AfterAll
        void stop() {
            registry.close();
            issuer.close();
        }

        @Test
        void anonymousUsersGetAPullTokenButNoPushToken() throws Exception {
            ImageTransfer transfer = transferWith(work.resolve("none.json"));

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + registry.host() + "/team/image:1"),
                    at("berth:"), PlatformChoice.host());
            assertThat(pulled.root().digest()).isEqualTo(image.digest());

            assertThatThrownBy(() -> transfer.copy(at("berth:" + registry.host() + "/team/image:1"),
                    at("docker://" + registry.host() + "/team/anonymous:1"), PlatformChoice.ALL))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("team/anonymous")
                    .hasMessageContaining("berth login " + registry.host());
        }

        @Test
        void storedCredentialsGetAPushTokenThatIsReusedAcrossBlobs() throws Exception {
            ImageTransfer transfer = transferWith(credentialFileFor(registry.host(), PASSWORD));
            transfer.copy(at("docker://" + registry.host() + "/team/image:1"), at("berth:"), PlatformChoice.host());
            int before = issuer.tokensIssued();

            transfer.copy(at("berth:" + registry.host() + "/team/image:1"),
                    at("docker://" + registry.host() + "/team/pushed:1"), PlatformChoice.ALL);

            assertThat(issuer.tokensIssued() - before).as("tokens fetched for one push of three blobs: %s", issuer.requests())
                    .isLessThanOrEqualTo(2);
            assertThat(Programs.skopeoDigest("docker://" + registry.host() + "/team/pushed:1",
                    "--creds", USER + ":" + PASSWORD)).isEqualTo(image.digest());
        }

        @Test
        void aWrongPasswordIsRejectedByTheTokenService() throws Exception {
            ImageTransfer transfer = transferWith(credentialFileFor(registry.host(), "not-it"));

            assertThatThrownBy(() -> transfer.copy(at("docker://" + registry.host() + "/team/image:1"),
                    at("berth:"), PlatformChoice.host()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("rejected the user name or password")
                    .hasMessageNotContaining("not-it");
        }
    }
}
