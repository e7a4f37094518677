package dev.berth.distribution;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(5));

    @Test
    void retryAfterInSecondsOrAsADateIsHonouredUpToTheCap() {
        assertThat(policy.delayAfter(1, "2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(1, "120")).isEqualTo(Duration.ofSeconds(5));
        String inThreeSeconds = ZonedDateTime.now().plusSeconds(3).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(policy.delayAfter(1, inThreeSeconds)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    @Test
    void withoutRetryAfterThePauseGrowsAndStaysUnderTheCap() {
        for (int attempt = 1; attempt <= 10; attempt++) {
            long expectedMax = Math.min(200L << (attempt - 1), 5000);
            assertThat(policy.delayAfter(attempt, "soon").toMillis()).isBetween(expectedMax / 2, expectedMax);
        }
    }

    @Test
    void onlyTransientStatusesAreRetried() {
        assertThat(RetryPolicy.isRetryable(429)).isTrue();
        assertThat(RetryPolicy.isRetryable(503)).isTrue();
        assertThat(RetryPolicy.isRetryable(408)).isTrue();
        assertThat(RetryPolicy.isRetryable(501)).isFalse();
        assertThat(RetryPolicy.isRetryable(404)).isFalse();
        assertThat(RetryPolicy.isRetryable(401)).isFalse();
    }
}
