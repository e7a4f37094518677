package dev.berth.oci;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HomeDirectoryTest {
    @Test
    void homeWinsWhenItIsAnAbsolutePathElseTheAccountsHome() {
        Path account = Path.of(System.getProperty("user.home"));
        assertThat(HomeDirectory.of(Map.of("HOME", "/scratch/ada/"))).isEqualTo(Path.of("/scratch/ada"));
        assertThat(HomeDirectory.of(Map.of())).isEqualTo(account);
        assertThat(HomeDirectory.of(Map.of("HOME", ""))).isEqualTo(account);
        assertThat(HomeDirectory.of(Map.of("HOME", "relative/dir"))).isEqualTo(account);
    }
}
