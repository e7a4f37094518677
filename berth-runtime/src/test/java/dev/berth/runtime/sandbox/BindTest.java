package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BindTest {
    @Test
    void sourceAloneBindsToTheSamePathReadWrite() {
        assertThat(Bind.parse("/data")).isEqualTo(new Bind(Path.of("/data"), Path.of("/data"), false));
    }

    @Test
    void destinationAndReadOnlyMode() {
        assertThat(Bind.parse("/scratch/run:/work:ro")).isEqualTo(new Bind(Path.of("/scratch/run"), Path.of("/work"), true));
        assertThat(Bind.parse("/a:/b:rw").readOnly()).isFalse();
    }

    @Test
    void badSpecificationsAreUsageErrors() {
        assertThatThrownBy(() -> Bind.parse("/a:/b:rx")).isInstanceOf(BerthException.class).hasMessageContaining("ro or rw");
        assertThatThrownBy(() -> Bind.parse("/a:relative")).isInstanceOf(BerthException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Bind.parse(":/b")).isInstanceOf(BerthException.class);
    }

    @Test
    void aMissingSourceIsNamedInTheError() {
        assertThatThrownBy(() -> Bind.parse("/no/such/place:/x").resolved())
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("/no/such/place").hasMessageContaining("no such file or directory");
    }
}
