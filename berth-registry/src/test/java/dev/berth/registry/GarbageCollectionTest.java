package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.oci.image.ImageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Online mark and sweep: removes what nothing references, never what a push relies on. */
class GarbageCollectionTest {

    @Test
    void collectsUnreferencedBlobsButKeepsSharedAndFreshOnes(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            byte[] shared = Api.randomBlobs(1, 5000).getFirst();
            byte[] gone = api.pushImage("gc/app", "gone", List.of(shared, Api.randomBlobs(1, 5000).getFirst()));
            api.pushImage("gc/app", "kept", List.of(shared));
            ImageManifest goneManifest = Json.read(gone, ImageManifest.class, "manifest");
            assertThat(api.send("DELETE", "/v2/gc/app/manifests/" + Digest.of(gone), null).statusCode()).isEqualTo(202);

            GarbageCollector collector = registry.server().collector();
            GarbageCollector.Report keepFresh = collector.collect(Duration.ofHours(1), Duration.ofDays(1));
            assertThat(keepFresh.blobsDeleted()).isZero();

            GarbageCollector.Report report = collector.collect(Duration.ZERO, Duration.ofDays(1));
            // the deleted manifest, its config and its own layer
            assertThat(report.blobsDeleted()).isEqualTo(3);
            Digest ownLayer = goneManifest.layers().get(1).digest();
            assertThat(api.send("HEAD", "/v2/gc/app/blobs/" + ownLayer, null).statusCode()).isEqualTo(404);
            assertThat(api.send("HEAD", "/v2/gc/app/blobs/" + goneManifest.config().digest(), null).statusCode()).isEqualTo(404);
            assertThat(api.send("HEAD", "/v2/gc/app/blobs/" + Digest.of(shared), null).statusCode()).isEqualTo(200);
            api.pullAndVerify("gc/app", "kept");
            // the blob can be pushed again after it was collected
            api.pushImage("gc/app", "back", List.of(shared, Api.randomBlobs(1, 10).getFirst()));
            api.pullAndVerify("gc/app", "back");
        }
    }

    @Test
    void theGraceCountsFromTheUploadsCompletionNotFromItsStart(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            byte[] content = Api.randomBlobs(1, 5000).getFirst();
            Digest digest = Digest.of(content);
            String location = startedTwoHoursAgo(api, root, "gc/late", content);

            assertThat(api.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
            GarbageCollector collector = registry.server().collector();
            assertThat(collector.collect(Duration.ofHours(1), Duration.ofDays(1)).blobsDeleted()).isZero();
            assertThat(api.send("HEAD", "/v2/gc/late/blobs/" + digest, null).statusCode()).isEqualTo(200);

            // completed before the grace window and referenced by nothing: collected
            Files.setLastModifiedTime(blobFile(root, digest), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            assertThat(collector.collect(Duration.ofHours(1), Duration.ofDays(1)).blobsDeleted()).isEqualTo(1);
            assertThat(api.send("HEAD", "/v2/gc/late/blobs/" + digest, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aBlobIsFoundRightAfterItsUploadCompletesWhileCollectionsRun(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            AtomicBoolean completing = new AtomicBoolean(true);
            AtomicReference<Throwable> collectorFailure = new AtomicReference<>();
            Thread collector = Thread.ofPlatform().start(() -> {
                try {
                    while (completing.get()) {
                        registry.server().collector().collect(Duration.ofHours(1), Duration.ofDays(1));
                    }
                } catch (Throwable e) {
                    collectorFailure.set(e);
                }
            });
            try {
                for (int i = 0; i < 20; i++) {
                    byte[] content = Api.randomBlobs(1, 3000).getFirst();
                    Digest digest = Digest.of(content);
                    String location = startedTwoHoursAgo(api, root, "gc/racing", content);
                    assertThat(api.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
                    assertThat(api.send("HEAD", "/v2/gc/racing/blobs/" + digest, null).statusCode()).as("upload " + i).isEqualTo(200);
                }
            } finally {
                completing.set(false);
                collector.join();
            }
            assertThat(collectorFailure.get()).isNull();
        }
    }

    /** An upload session holding {@code content} whose start and bytes both date from two hours ago. */
    private static String startedTwoHoursAgo(Api api, Path root, String repository, byte[] content) throws Exception {
        String location = api.send("POST", "/v2/" + repository + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> patched = api.send("PATCH", location, content, "Content-Type", "application/octet-stream");
        assertThat(patched.statusCode()).isEqualTo(202);
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        Path upload = root.resolve("uploads").resolve(location.substring(location.lastIndexOf('/') + 1));
        Path state = upload.resolve("state");
        Files.writeString(state, Files.readString(state).replaceAll("started=.*", "started=" + twoHoursAgo));
        for (Path file : List.of(state, upload.resolve("data"), upload)) {
            Files.setLastModifiedTime(file, FileTime.from(twoHoursAgo));
        }
        return location;
    }

    private static Path blobFile(Path root, Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    @Test
    void expiredUploadsAreRemoved(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            String location = api.send("POST", "/v2/gc/uploads/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            assertThat(registry.server().collector().collect(Duration.ZERO, Duration.ofHours(1)).uploadsExpired()).isZero();
            Thread.sleep(20);
            assertThat(registry.server().collector().collect(Duration.ZERO, Duration.ofMillis(10)).uploadsExpired()).isEqualTo(1);
            assertThat(api.get(location).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void collectionRunningInALoopDuringManyPushesNeverBreaksAnImage(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            byte[] base = Api.randomBlobs(1, 20_000).getFirst();
            Map<String, byte[]> pushed = new ConcurrentHashMap<>();
            List<byte[]> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean pushing = new AtomicBoolean(true);
            AtomicInteger collections = new AtomicInteger();
            AtomicReference<Throwable> collectorFailure = new AtomicReference<>();
            Thread collector = Thread.ofPlatform().start(() -> {
                try {
                    while (pushing.get()) {
                        registry.server().collector().collect(Duration.ofSeconds(2), Duration.ofDays(1));
                        collections.incrementAndGet();
                    }
                } catch (Throwable e) {
                    collectorFailure.set(e);
                }
            });
            List<Thread> pushers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pushers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 15; i++) {
                            String tag = "t" + thread + "-" + i;
                            List<byte[]> layers = new ArrayList<>(List.of(base));
                            layers.addAll(Api.randomBlobs(2, 3000));
                            byte[] manifest = api.pushImage("gc/busy", tag, layers);
                            if (i % 3 == 0) {
                                api.send("DELETE", "/v2/gc/busy/manifests/" + Digest.of(manifest), null);
                                deleted.add(manifest);
                            } else {
                                pushed.put(tag, manifest);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread pusher : pushers) {
                pusher.join();
            }
            pushing.set(false);
            collector.join();
            assertThat(failures).isEmpty();
            assertThat(collectorFailure.get()).isNull();
            assertThat(collections.get()).isPositive();
            for (Map.Entry<String, byte[]> image : pushed.entrySet()) {
                assertThat(api.pullAndVerify("gc/busy", image.getKey())).isEqualTo(image.getValue());
            }
            // once quiet, a collection without grace takes exactly what the deleted images alone used
            registry.server().collector().collect(Duration.ZERO, Duration.ofDays(1));
            for (byte[] manifest : deleted) {
                for (Descriptor layer : Json.read(manifest, ImageManifest.class, "manifest").layers().subList(1, 3)) {
                    assertThat(api.send("HEAD", "/v2/gc/busy/blobs/" + layer.digest(), null).statusCode()).isEqualTo(404);
                }
            }
            for (Map.Entry<String, byte[]> image : pushed.entrySet()) {
                api.pullAndVerify("gc/busy", image.getKey());
            }
        }
    }
}
