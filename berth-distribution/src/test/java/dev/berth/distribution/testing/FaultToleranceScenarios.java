package dev.berth.distribution.testing;

import dev.berth.distribution.RegistryException;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.distribution.testing.FaultyProxy.Faults;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.layout.OciLayoutWriter;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.PlatformChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.berth.distribution.testing.Clients.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pulls and pushes through a proxy that answers 503 and 429 at random, cuts connections in the
 * middle of blobs and slows bytes down: they finish, verified, or give up with a clear error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FaultToleranceScenarios {
    private static final Faults BAD_NETWORK = new Faults(0.12, 0.08, 0.35, 1, false);

    Path shared;
    TestRegistry registry;
    ManifestBytes image;

    Path work;

    /** Starts the registry under test, with its storage under {@code dir}. */
    protected abstract TestRegistry startRegistry(Path dir) throws Exception;

    @BeforeAll
    void startRegistryAndSeed() throws Exception {
        shared = Files.createTempDirectory("berth-scenarios-");
        registry = startRegistry(shared.resolve("registry"));
        Path layoutDir = shared.resolve("seed");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        image = TestImages.image(layout, Platform.host(), 7, 3 << 20, 5 << 20, 2 << 20, 40_000);
        TestImages.tagAndCommit(layout, "1", image);
        Programs.skopeoCopy("oci:" + layoutDir + ":1", "docker://" + registry.host() + "/faulty/image:1");
    }

    @BeforeEach
    void newWorkDir(@TempDir Path work) {
        this.work = work;
    }

    @AfterAll
    void stopRegistry() throws Exception {
        registry.close();
        Programs.check("rm", "-rf", shared.toString());
    }

    @Test
    public void pullAndPushFinishVerifiedThroughABadNetwork() throws Exception {
        LocalStore store = LocalStore.open(work.resolve("store"));
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), BAD_NETWORK, 42)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store,
                    new CountingListener());

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + proxy.host() + "/faulty/image:1"),
                    at("berth:localhost/pulled:1"), PlatformChoice.host());
            assertThat(pulled.root().digest()).isEqualTo(image.digest());
            int faultsDuringPull = proxy.faultsInjected();

            transfer.copy(at("berth:localhost/pulled:1"), at("docker://" + proxy.host() + "/faulty/pushed:1"),
                    PlatformChoice.ALL);

            assertThat(faultsDuringPull).as("faults injected during the pull").isPositive();
            assertThat(proxy.faultsInjected()).as("faults injected during the push").isGreaterThan(faultsDuringPull);
        }
        assertThat(Programs.skopeoDigest("docker://" + registry.host() + "/faulty/pushed:1")).isEqualTo(image.digest());
        Path judged = work.resolve("judged");
        Programs.skopeoCopy("docker://" + registry.host() + "/faulty/pushed:1", "oci:" + judged + ":1");
    }

    @Test
    public void downloadsCutEveryTimeResumeWhereTheyStopped() throws Exception {
        LocalStore store = LocalStore.open(work.resolve("store"));
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), new Faults(0, 0, 1, 0, true), 7)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store,
                    new CountingListener());

            ImageTransfer.Result pulled = transfer.copy(at("docker://" + proxy.host() + "/faulty/image:1"),
                    at("berth:localhost/resumed:1"), PlatformChoice.host());

            assertThat(pulled.root().digest()).isEqualTo(image.digest());
            assertThat(proxy.rangeRequests()).as("requests that resumed a cut download").isPositive();
        }
    }

    @Test
    public void uploadsCutEveryTimeResumeWhereTheyStopped() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), new Faults(0, 0, 1, 0, true), 11)) {
            pushFromAStoreThrough(proxy, "resumed");

            assertThat(proxy.uploadStatusRequests()).as("requests that asked how much of a cut upload arrived")
                    .isPositive();
        }
        assertThat(Programs.skopeoDigest("docker://" + registry.host() + "/faulty/resumed:1")).isEqualTo(image.digest());
        Programs.skopeoCopy("docker://" + registry.host() + "/faulty/resumed:1", "oci:" + work.resolve("judged") + ":1");
    }

    /** A resumed upload whose session the registry dropped begins a new one instead of failing the push. */
    @Test
    public void aResumedUploadTheRegistryForgotStartsOver() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), new Faults(0, 0, 1, 0, true), 11).forgettingAResumedUpload()) {
            pushFromAStoreThrough(proxy, "restarted");

            assertThat(proxy.uploadsForgotten()).as("resumed uploads answered as forgotten").isPositive();
        }
        assertThat(Programs.skopeoDigest("docker://" + registry.host() + "/faulty/restarted:1")).isEqualTo(image.digest());
    }

    /** Pulls the test image into a new local store, then pushes it from there through {@code proxy} as faulty/REPOSITORY:1. */
    private void pushFromAStoreThrough(FaultyProxy proxy, String repository) throws Exception {
        LocalStore store = LocalStore.open(work.resolve("store"));
        ImageTransfer local = Clients.transfer(Clients.registries(work.resolve("auth.json")), store, new CountingListener());
        local.copy(at("docker://" + registry.host() + "/faulty/image:1"), at("berth:localhost/" + repository + ":1"),
                PlatformChoice.host());
        ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store, new CountingListener());
        transfer.copy(at("berth:localhost/" + repository + ":1"), at("docker://" + proxy.host() + "/faulty/" + repository + ":1"),
                PlatformChoice.ALL);
    }

    /** A pull that lost the network half way: the next pull fetches only what the first did not get. */
    @Test
    public void aPullCutShortIsResumedByTheNextPull() throws Exception {
        LocalStore store = LocalStore.open(work.resolve("store"));
        long imageBytes = image.bytesUnsafe().length + image.manifest().config().size()
                + image.manifest().layers().stream().mapToLong(layer -> layer.size()).sum();
        long firstGot;
        try (FaultyProxy dying = new FaultyProxy(registry.port(), Faults.NONE, 3).goingAwayAfter(imageBytes / 2)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store, new CountingListener());
            assertThatThrownBy(() -> transfer.copy(at("docker://" + dying.host() + "/faulty/image:1"),
                    at("berth:localhost/resumed-later:1"), PlatformChoice.host())).isInstanceOf(RegistryException.class);
            firstGot = dying.bytesForwardedToClients();
        }
        assertThat(store.find("localhost/resumed-later:1")).isEmpty();
        try (Stream<Path> partial = Files.list(work.resolve("store/partial"))) {
            assertThat(partial).as("downloads kept for the next pull").isNotEmpty();
        }

        try (FaultyProxy healthy = new FaultyProxy(registry.port(), Faults.NONE, 4)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store, new CountingListener());
            ImageTransfer.Result pulled = transfer.copy(at("docker://" + healthy.host() + "/faulty/image:1"),
                    at("berth:localhost/resumed-later:1"), PlatformChoice.host());

            assertThat(pulled.root().digest()).isEqualTo(image.digest());
            // what was in flight when the network went (a read buffer per blob) may come again, no more
            assertThat(healthy.bytesForwardedToClients()).as("bytes of the second pull, after %d of %d in the first",
                    firstGot, imageBytes).isLessThan(imageBytes - firstGot + (2 << 20));
        }
        try (Stream<Path> partial = Files.list(work.resolve("store/partial"))) {
            assertThat(partial).as("partial downloads once the pull finished").isEmpty();
        }
    }

    @Test
    public void givesUpWithAClearErrorAndLeavesNothingBehind() throws Exception {
        LocalStore store = LocalStore.open(work.resolve("store"));
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), Faults.BLOBS_ALWAYS_UNAVAILABLE, 1)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")), store,
                    new CountingListener());

            assertThatThrownBy(() -> transfer.copy(at("docker://" + proxy.host() + "/faulty/image:1"),
                    at("berth:localhost/never:1"), PlatformChoice.host()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("gave up after " + Clients.QUICK_RETRIES.attempts() + " attempts");
        }
        assertThat(store.find("localhost/never:1")).isEmpty();
        try (Stream<Path> staged = Files.list(work.resolve("store/staging"))) {
            assertThat(staged).isEmpty();
        }
        try (Stream<Path> blobs = Files.list(work.resolve("store/blobs/sha256"))) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    public void aPushThatCannotGetThroughSaysSo() throws Exception {
        Path layoutDir = work.resolve("small");
        OciLayoutWriter layout = OciLayoutWriter.create(layoutDir);
        TestImages.tagAndCommit(layout, "1", TestImages.image(layout, Platform.host(), 8, 10_000));
        try (FaultyProxy proxy = new FaultyProxy(registry.port(), Faults.BLOBS_ALWAYS_UNAVAILABLE, 2)) {
            ImageTransfer transfer = Clients.transfer(Clients.registries(work.resolve("auth.json")),
                    LocalStore.open(work.resolve("store")), new CountingListener());

            assertThatThrownBy(() -> transfer.copy(at("oci:" + layoutDir + ":1"),
                    at("docker://" + proxy.host() + "/faulty/never:1"), PlatformChoice.ALL))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining(proxy.host())
                    .hasMessageContaining("gave up after");
        }
        assertThat(Programs.run(java.util.List.of("skopeo", "inspect", "--tls-verify=false",
                "docker://" + registry.host() + "/faulty/never:1"), null, java.util.Map.of()).exitCode()).isNotZero();
        assertThat(Reference.parse(registry.host() + "/faulty/never:1").tag()).contains("1");
    }
}
