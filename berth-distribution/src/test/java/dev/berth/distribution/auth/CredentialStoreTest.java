package dev.berth.distribution.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialStoreTest {
    @TempDir
    Path home;

    /** As docker login: ~/.docker/config.json of the HOME the command runs with, unless DOCKER_CONFIG names another directory. */
    @Test
    void loginsGoToTheDockerConfigUnderHome() {
        assertThat(CredentialStore.fromEnvironment(Map.of("HOME", home.toString()), null).loginFile())
                .isEqualTo(home.resolve(".docker/config.json"));
        assertThat(CredentialStore.fromEnvironment(Map.of("HOME", home.toString(), "DOCKER_CONFIG", "/etc/ci-docker"), null)
                .loginFile()).isEqualTo(Path.of("/etc/ci-docker/config.json"));
    }
}
