package dev.berth.trust;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureWarmUpTest {
    @Test
    void theWarmUpChecksARealSignatureSoItRunsTheWholeVerification() {
        // a pair that did not verify would leave part of the arithmetic cold
        assertThat(SignatureWarmUp.verify()).isTrue();
    }
}
