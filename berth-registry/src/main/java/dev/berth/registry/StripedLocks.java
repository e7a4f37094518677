package dev.berth.registry;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks chosen by key hash: enough to serialise work on one digest or repository
 * (a push against the collector, two tag moves) without a lock object per key.
 */
final class StripedLocks {
    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(Object key) {
        return locks[Math.floorMod(key.hashCode() * 0x9E3779B9, locks.length)];
    }
}
