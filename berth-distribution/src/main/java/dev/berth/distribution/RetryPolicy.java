package dev.berth.distribution;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How often and how patiently a request is repeated when the network or the registry fails
 * for a moment: exponential backoff from {@code firstDelay}, capped at {@code maxDelay}, and a
 * registry's {@code Retry-After} honoured up to that cap.
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(10));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** True for the statuses that say "try again later": 408, 429 and the 5xx family except 501 and 505. */
    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failed ones (1-based). */
    public Duration delayAfter(int attempt, String retryAfter) {
        Duration asked = parseRetryAfter(retryAfter);
        if (asked != null) {
            return asked.compareTo(maxDelay) > 0 ? maxDelay : asked;
        }
        long millis = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        // Jitter keeps parallel transfers that failed together from retrying together.
        long jittered = millis / 2 + (long) (Math.random() * (millis / 2 + 1));
        return Duration.ofMillis(Math.min(jittered, maxDelay.toMillis()));
    }

    /** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static void sleep(Duration delay) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
