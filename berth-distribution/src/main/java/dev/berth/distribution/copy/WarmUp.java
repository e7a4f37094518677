package dev.berth.distribution.copy;

import dev.berth.oci.DigestAlgorithm;
import dev.berth.oci.image.ManifestBytes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work a short-lived JVM would otherwise do on the critical path of its first transfer, done on
 * background threads while the registry is still being connected to.
 * <ul>
 * <li>SHA-256: the JIT compiles it down to the CPU's SHA instructions only after many calls. A
 * cold JVM otherwise hashes a pull's first few hundred megabytes in Java code: measured on the
 * benchmark machine, 75 MB took 0.7-1.0 s cold and 0.08-0.11 s after this warm-up, which itself
 * costs about 0.1 s. Compilation follows call counts, so many tiny updates do it.
 * <li>Manifest parsing: Jackson builds its deserializers for the manifest records on first use,
 * 0.2-0.3 s between receiving the first manifest and asking for the first layer (measured with
 * an AOT cache trained on a pull); parsing a small manifest and index here builds and caches them.
 * </ul>
 */
final class WarmUp {
    private static final int DIGEST_UPDATES = 100_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private static final String DIGEST = "sha256:" + "0".repeat(64);
    private static final String MANIFEST = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%1$s","size":1},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%1$s","size":1,
                        "annotations":{"a":"b"}}],
             "annotations":{"a":"b"}}""".formatted(DIGEST);
    private static final String INDEX = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%1$s","size":1,
                           "platform":{"architecture":"amd64","os":"linux"}}]}""".formatted(DIGEST);

    private WarmUp() {
    }

    static void startOnce() {
        if (STARTED.getAndSet(true)) {
            return;
        }
        start("berth-digest-warm-up", WarmUp::digest);
        start("berth-json-warm-up", WarmUp::manifests);
    }

    private static void start(String name, Runnable work) {
        Thread.ofPlatform().daemon().name(name).start(work);
    }

    private static void digest() {
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] block = new byte[64];
        for (int i = 0; i < DIGEST_UPDATES; i++) {
            digest.update(block, 0, block.length);
        }
        digest.digest();
    }

    private static void manifests() {
        ManifestBytes.parse(MANIFEST.getBytes(StandardCharsets.UTF_8), null);
        ManifestBytes.parse(INDEX.getBytes(StandardCharsets.UTF_8), null);
    }
}
