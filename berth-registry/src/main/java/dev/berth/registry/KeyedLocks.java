package dev.berth.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, existing only while someone holds or waits for it. For upload sessions, whose
 * lock is held while a request body arrives, however slowly: a lock shared by several keys (as
 * {@link StripedLocks} shares them) would make unrelated uploads wait for a slow client.
 */
final class KeyedLocks {
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** Held until closed. */
    final class Held implements AutoCloseable {
        private final String key;
        private final Entry entry;

        private Held(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        @Override
        public void close() {
            entry.lock.unlock();
            leave(key, entry);
        }
    }

    Held lock(String key) {
        Entry entry = enter(key);
        entry.lock.lock();
        return new Held(key, entry);
    }

    /** The lock when nobody holds it, else null at once. */
    Held tryLock(String key) {
        Entry entry = enter(key);
        if (!entry.lock.tryLock()) {
            leave(key, entry);
            return null;
        }
        return new Held(key, entry);
    }

    private synchronized Entry enter(String key) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        entry.users++;
        return entry;
    }

    private synchronized void leave(String key, Entry entry) {
        if (--entry.users == 0) {
            entries.remove(key);
        }
    }
}
