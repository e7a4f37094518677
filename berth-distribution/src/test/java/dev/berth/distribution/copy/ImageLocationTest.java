package dev.berth.distribution.copy;

import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageLocationTest {
    @Test
    void parsesEveryTransport() {
        assertThat(ImageLocation.parse("docker://busybox"))
                .isEqualTo(new ImageLocation.Registry(Reference.parse("docker.io/library/busybox:latest")));
        assertThat(ImageLocation.parse("oci:layouts/app:1.2"))
                .isEqualTo(new ImageLocation.OciDirectory(Path.of("layouts/app"), "1.2"));
        assertThat(ImageLocation.parse("oci:/data/app")).isEqualTo(new ImageLocation.OciDirectory(Path.of("/data/app"), null));
        assertThat(ImageLocation.parse("docker-archive:app.tar:lab/app:1"))
                .isEqualTo(new ImageLocation.DockerArchiveFile(Path.of("app.tar"), Reference.parse("lab/app:1")));
        assertThat(ImageLocation.parse("docker-archive:app.tar")).isEqualTo(new ImageLocation.DockerArchiveFile(Path.of("app.tar"), null));
        assertThat(ImageLocation.parse("berth:lab/app:1")).isEqualTo(new ImageLocation.Store("lab/app:1"));
        assertThat(ImageLocation.parse("berth:")).isEqualTo(new ImageLocation.Store(""));
    }

    @Test
    void aLocationWithoutTransportSaysWhichExist() {
        assertThatThrownBy(() -> ImageLocation.parse("busybox"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("docker://REF, oci:DIR[:TAG], docker-archive:FILE[:REF] or berth:REF");
        assertThatThrownBy(() -> ImageLocation.parse("docker:busybox")).hasMessageContaining("docker://REF");
        assertThatThrownBy(() -> ImageLocation.parse("oci:")).hasMessageContaining("it names no directory");
    }
}
