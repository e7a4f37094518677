package dev.berth.cli.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls until a condition holds, for at most a given time: no wait in these tests is unbounded. */
final class Waiting {
    private static final long POLL_MILLIS = 200;

    private Waiting() {
    }

    /** Whether {@code condition} held within {@code limit}; it is asked at least once. */
    static boolean until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
