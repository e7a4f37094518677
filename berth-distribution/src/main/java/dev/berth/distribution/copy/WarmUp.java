package dev.berth.distribution.copy;

import dev.berth.oci.DigestAlgorithm;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SHA-256 warmed up on a background thread while the registry is still being connected to: the
 * JIT compiles it down to the CPU's SHA instructions only after many calls. A cold JVM otherwise
 * hashes a pull's first few hundred megabytes in Java code: measured on the benchmark machine,
 * 75 MB took 0.7-1.0 s cold and 0.08-0.11 s after this warm-up. Compilation follows call
 * counts, so many tiny updates do it; the launcher scales the SHA provider's compile thresholds
 * to 1/20, so 5 000 are enough. (With the default thresholds it took 100 000, and the warm-up
 * cost a pull 0.15-0.2 s of CPU; without any warm-up the copy threads hash slowly for longer and
 * a pull costs more CPU still. bench/pull, alternating variants, 10 pulls each.)
 */
final class WarmUp {
    private static final int DIGEST_UPDATES = 5_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {
    }

    static void startOnce() {
        if (STARTED.getAndSet(true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("berth-digest-warm-up").start(WarmUp::digest);
    }

    private static void digest() {
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] block = new byte[64];
        for (int i = 0; i < DIGEST_UPDATES; i++) {
            digest.update(block, 0, block.length);
        }
        digest.digest();
    }
}
