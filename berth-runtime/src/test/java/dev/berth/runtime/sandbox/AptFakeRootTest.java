package dev.berth.runtime.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The setting written into a disposable root never lands outside it, through a link in its place or on the way. */
class AptFakeRootTest {
    @TempDir
    Path base;

    @Test
    void aLinkInTheSettingsPlaceIsReplacedNotWrittenThrough() throws IOException {
        Path root = base.resolve("root");
        Path configuration = Files.createDirectories(root.resolve("etc/apt/apt.conf.d"));
        Path precious = Files.writeString(base.resolve("precious"), "the caller's file\n");
        Files.createSymbolicLink(configuration.resolve(AptFakeRoot.FILE_NAME), precious);

        AptFakeRoot.writeInto(root);

        assertThat(precious).hasContent("the caller's file");
        assertThat(configuration.resolve(AptFakeRoot.FILE_NAME)).isRegularFile().hasContent(AptFakeRoot.SETTING.strip());
    }

    @Test
    void anAbsoluteLinkedEtcIsFollowedInsideTheRoot() throws IOException {
        Path root = base.resolve("root");
        Path outside = Files.createDirectories(base.resolve("outside/apt/apt.conf.d"));
        Files.createDirectories(root.resolve("usr/etc/apt/apt.conf.d"));
        Files.createSymbolicLink(root.resolve("etc"), base.resolve("outside"));
        Files.createDirectories(root.resolve(base.toString().substring(1)));
        Files.createSymbolicLink(root.resolve(base.toString().substring(1)).resolve("outside"), Path.of("/usr/etc"));

        AptFakeRoot.writeInto(root);

        assertThat(outside).isEmptyDirectory();
        assertThat(root.resolve("usr/etc/apt/apt.conf.d").resolve(AptFakeRoot.FILE_NAME)).hasContent(AptFakeRoot.SETTING.strip());
    }
}
