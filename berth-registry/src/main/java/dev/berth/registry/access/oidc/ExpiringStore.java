package dev.berth.registry.access.oidc;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Short-lived values kept in memory under random keys (sign-ins under way, signed-in sessions),
 * bounded in number and in age, so that a flood of started sign-ins cannot exhaust memory: when
 * full, the oldest entry goes.
 */
final class ExpiringStore<V> {
    private record Entry<V>(V value, Instant expires) {
    }

    private final int capacity;
    private final Duration lifetime;
    private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>();

    ExpiringStore(int capacity, Duration lifetime) {
        this.capacity = capacity;
        this.lifetime = lifetime;
    }

    synchronized void put(String key, V value) {
        dropExpired();
        if (entries.size() >= capacity) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(key, new Entry<>(value, Instant.now().plus(lifetime)));
    }

    synchronized Optional<V> get(String key) {
        dropExpired();
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    /** The value, which is gone from the store afterwards: a key works once. */
    synchronized Optional<V> take(String key) {
        dropExpired();
        return Optional.ofNullable(entries.remove(key)).map(Entry::value);
    }

    /** Entries expire in the order they were put, so the expired ones are at the front. */
    private void dropExpired() {
        Instant now = Instant.now();
        Iterator<Map.Entry<String, Entry<V>>> oldest = entries.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue().expires().isBefore(now)) {
            oldest.remove();
        }
    }
}
