package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 and restarts: completed pushes survive, interrupted ones can be done again or resumed. */
class CrashSafetyTest {

    @Test
    void killDuringPushesLeavesCompletedImagesIntactAndThePushRepeatable(@TempDir Path root) throws Exception {
        Map<String, byte[]> completed = new ConcurrentHashMap<>();
        String interruptedUpload;
        byte[] firstChunk = Api.randomBlobs(1, 1 << 20).getFirst();
        try (RegistryProcess registry = RegistryProcess.start(root)) {
            Api api = new Api(registry.url());
            completed.put("base", api.pushImage("crash/app", "base", 3));

            // an upload left half done: one chunk stored, the rest never comes
            HttpResponse<byte[]> post = api.send("POST", "/v2/crash/big/blobs/uploads/", null);
            interruptedUpload = post.headers().firstValue("Location").orElseThrow();
            assertThat(api.send("PATCH", interruptedUpload, firstChunk, "Content-Range", "0-" + (firstChunk.length - 1)).statusCode())
                    .isEqualTo(202);

            // pushes running flat out while the process dies
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger pushed = new AtomicInteger();
            List<Thread> pushers = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                pushers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 200 && !stop.get(); i++) {
                        String tag = "t" + thread + "-" + i;
                        try {
                            completed.put(tag, api.pushImage("crash/app", tag, 2));
                            pushed.incrementAndGet();
                        } catch (Exception | AssertionError e) {
                            return; // the server died under this push
                        }
                    }
                }));
            }
            while (pushed.get() < 6) {
                Thread.sleep(10);
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(50));
            registry.kill();
            stop.set(true);
            for (Thread pusher : pushers) {
                pusher.join();
            }
        }

        try (TestRegistry restarted = TestRegistry.start(root)) {
            Api api = new Api(restarted.url());
            for (Map.Entry<String, byte[]> image : completed.entrySet()) {
                assertThat(api.pullAndVerify("crash/app", image.getKey())).isEqualTo(image.getValue());
            }
            // the interrupted upload resumes where its last acknowledged chunk ended
            String location = restarted.url() + interruptedUpload;
            HttpResponse<byte[]> status = api.get(location);
            assertThat(status.statusCode()).isEqualTo(204);
            assertThat(status.headers().firstValue("Range")).hasValue("0-" + (firstChunk.length - 1));
            byte[] rest = Api.randomBlobs(1, 1000).getFirst();
            assertThat(api.send("PATCH", location, rest, "Content-Range", firstChunk.length + "-" + (firstChunk.length + 999)).statusCode())
                    .isEqualTo(202);
            byte[] whole = new byte[firstChunk.length + rest.length];
            System.arraycopy(firstChunk, 0, whole, 0, firstChunk.length);
            System.arraycopy(rest, 0, whole, firstChunk.length, rest.length);
            HttpResponse<byte[]> put = api.send("PUT", location + "?digest=" + Digest.of(whole), null);
            assertThat(put.statusCode()).as(Api.text(put)).isEqualTo(201);
            assertThat(api.get("/v2/crash/big/blobs/" + Digest.of(whole)).body()).isEqualTo(whole);
            // and every push can simply be done again
            byte[] again = api.pushImage("crash/app", "again", 2);
            assertThat(api.pullAndVerify("crash/app", "again")).isEqualTo(again);
            byte[] base = completed.get("base");
            assertThat(api.putManifest("crash/app", "base-again", MediaType.OCI_MANIFEST, base).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void killInTheMiddleOfAStreamedChunkKeepsTheAcknowledgedBytes(@TempDir Path root) throws Exception {
        String location;
        try (RegistryProcess registry = RegistryProcess.start(root)) {
            Api api = new Api(registry.url());
            location = api.send("POST", "/v2/stream/kill/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            assertThat(api.send("PATCH", location, new byte[1000], "Content-Range", "0-999").statusCode()).isEqualTo(202);
            // a second chunk of 64 MiB of which 1 MiB arrives, then nothing until the process dies
            CountDownLatch killed = new CountDownLatch(1);
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest slow = HttpRequest.newBuilder(URI.create(registry.url() + location))
                    .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                                private long sent;

                                @Override
                                public int read() throws java.io.IOException {
                                    if (sent == 1L << 20) {
                                        awaitUninterruptibly(killed);
                                        throw new java.io.IOException("the registry was killed");
                                    }
                                    sent++;
                                    return 1;
                                }
                            }), 64L << 20))
                    .header("Content-Range", "1000-" + (1000 + (64L << 20) - 1))
                    .timeout(Duration.ofMinutes(1)).build();
            var inFlight = client.sendAsync(slow, HttpResponse.BodyHandlers.discarding());
            Thread.sleep(300);
            registry.kill();
            killed.countDown();
            inFlight.exceptionally(e -> null).join();
        }
        try (TestRegistry restarted = TestRegistry.start(root)) {
            Api api = new Api(restarted.url());
            HttpResponse<byte[]> status = api.get(restarted.url() + location);
            assertThat(status.headers().firstValue("Range")).hasValue("0-999");
            HttpResponse<byte[]> put = api.send("PUT", restarted.url() + location + "?digest=" + Digest.of(new byte[1000]), null);
            assertThat(put.statusCode()).isEqualTo(201);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void uploadResumesAfterAGracefulRestart(@TempDir Path root) throws Exception {
        byte[] content = Api.randomBlobs(1, 3000).getFirst();
        String location;
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            location = api.send("POST", "/v2/resume/app/blobs/uploads/?digest-algorithm=sha512", null)
                    .headers().firstValue("Location").orElseThrow();
            api.send("PATCH", location, java.util.Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999");
        }
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            assertThat(api.get(location).headers().firstValue("Range")).hasValue("0-999");
            api.send("PATCH", location, java.util.Arrays.copyOfRange(content, 1000, 3000), "Content-Range", "1000-2999");
            Digest digest = Digest.of(dev.berth.oci.DigestAlgorithm.SHA512, content);
            assertThat(api.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
            assertThat(api.get("/v2/resume/app/blobs/" + digest).body()).isEqualTo(content);
        }
    }
}
