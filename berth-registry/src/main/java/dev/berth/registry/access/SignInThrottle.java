package dev.berth.registry.access;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows guessing: after a few failed sign-ins for one account or from one address, each further
 * attempt waits longer (doubling, capped), whether or not it then succeeds. Failures are forgotten
 * a while after the last one. Waiting is cheap here: each request has its own virtual thread.
 */
final class SignInThrottle {
    private static final int FREE_FAILURES = 3;
    private static final Duration FIRST_DELAY = Duration.ofMillis(250);
    private static final Duration MAX_DELAY = Duration.ofSeconds(8);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** Bounds memory under a spray of addresses or names; clearing only loses slowness, never access. */
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, Instant last) {
    }

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    /** How long an attempt for this account from this address must wait first. */
    Duration delay(String account, String address) {
        int count = Math.max(count("account:" + account), count("address:" + address));
        if (count < FREE_FAILURES) {
            return Duration.ZERO;
        }
        Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(count - FREE_FAILURES, 10));
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    void failed(String account, String address) {
        if (failures.size() > MAX_KEYS) {
            failures.clear();
        }
        Instant now = Instant.now();
        for (String key : new String[] {"account:" + account, "address:" + address}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
        }
    }

    void succeeded(String account) {
        failures.remove("account:" + account);
    }

    private int count(String key) {
        Failures entry = failures.get(key);
        if (entry == null) {
            return 0;
        }
        if (entry.last().plus(FORGET_AFTER).isBefore(Instant.now())) {
            failures.remove(key, entry);
            return 0;
        }
        return entry.count();
    }
}
