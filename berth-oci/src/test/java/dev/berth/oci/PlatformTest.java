package dev.berth.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformTest {
    @Test
    void parsesOsArchAndVariant() {
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(Platform.of("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/x86_64").architecture()).isEqualTo("amd64");
        assertThatThrownBy(() -> Platform.parse("linux")).hasMessageContaining("OS/ARCH");
    }

    @Test
    void matchesOnOsArchitectureAndVariant() {
        Platform amd64 = Platform.of("linux", "amd64", null);
        assertThat(amd64.satisfies(Platform.parse("linux/amd64"))).isTrue();
        assertThat(amd64.satisfies(Platform.parse("linux/arm64"))).isFalse();
        assertThat(amd64.satisfies(Platform.parse("windows/amd64"))).isFalse();
        assertThat(Platform.of("linux", "arm", "v7").satisfies(Platform.parse("linux/arm/v6"))).isFalse();
        assertThat(Platform.of("linux", "arm", "v7").satisfies(Platform.parse("linux/arm"))).isTrue();
    }

    @Test
    void arm64WithoutVariantMeansV8() {
        assertThat(Platform.of("linux", "arm64", null).satisfies(Platform.parse("linux/arm64/v8"))).isTrue();
        assertThat(Platform.of("linux", "arm64", "v8").satisfies(Platform.parse("linux/aarch64"))).isTrue();
    }

    @Test
    void hostPlatformIsLinuxOnThisMachine() {
        assertThat(Platform.host().os()).isEqualTo("linux");
        assertThat(Platform.host().architecture()).isIn("amd64", "arm64", "ppc64le", "s390x", "riscv64");
    }
}
