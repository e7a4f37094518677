package dev.berth.runtime.sandbox;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An image tree whose /run leads out of it, by an absolute link, a relative one or a chain:
 * mount points are made inside the tree where the container will see them, and making and
 * removing them leaves the directory outside as it was, with the empty file and directory in it
 * that a careless clean-up would delete.
 */
class MountPointsTest {
    @TempDir
    Path base;
    Path tree;
    Path outside;
    List<String> outsideBefore;

    @BeforeEach
    void treeAndOutside() throws IOException {
        tree = Files.createDirectory(base.resolve("tree"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.createDirectories(outside.resolve("x"));
        Files.createDirectories(outside.resolve("secrets"));
        Files.createFile(outside.resolve("secrets/s"));
        outsideBefore = listing(outside);
    }

    @Test
    void anAbsoluteLinkLeadsToTheSamePathInsideTheTree() throws IOException {
        Files.createSymbolicLink(tree.resolve("run"), outside);
        try (MountPoints points = new MountPoints(tree)) {
            assertThat(points.place("/run/x", MountPoints.Kind.EMPTY)).isEqualTo(outside + "/x");
            assertThat(points.place("/run/secrets/s", MountPoints.Kind.FILE)).isEqualTo(outside + "/secrets/s");
            assertThat(tree.resolve(outside.toString().substring(1)).resolve("secrets/s")).isEmptyFile();
            assertThat(listing(outside)).isEqualTo(outsideBefore);
        }
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(listing(tree)).as("what berth made is gone, the image's link stays").containsExactly("run -> " + outside);
    }

    @Test
    void aRelativeLinkStopsAtTheTreesRoot() throws IOException {
        Files.createSymbolicLink(tree.resolve("run"), Path.of("../../../../outside"));
        try (MountPoints points = new MountPoints(tree)) {
            assertThat(points.place("/run/secrets/s", MountPoints.Kind.FILE)).isEqualTo("/outside/secrets/s");
            assertThat(points.place("run/x/", MountPoints.Kind.DIRECTORY)).isEqualTo("/outside/x");
            assertThat(tree.resolve("outside/secrets/s")).isEmptyFile();
            assertThat(tree.resolve("outside/x")).isDirectory();
        }
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(listing(tree)).containsExactly("run -> ../../../../outside");
    }

    @Test
    void aChainOfLinksIsFollowedInsideTheTree() throws IOException {
        Files.createDirectories(tree.resolve("var"));
        Files.createSymbolicLink(tree.resolve("run"), Path.of("/var/run"));
        Files.createSymbolicLink(tree.resolve("var/run"), Path.of("../../.." + outside));
        try (MountPoints points = new MountPoints(tree)) {
            assertThat(points.place("/run/x/y", MountPoints.Kind.EMPTY)).isEqualTo(outside + "/x/y");
            assertThat(points.place("/var/run/x/y/z", MountPoints.Kind.DIRECTORY)).as("inside the tmpfs: bwrap makes it")
                    .isEqualTo(outside + "/x/y/z");
            assertThat(listing(outside)).isEqualTo(outsideBefore);
        }
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(listing(tree)).containsExactly("run -> /var/run", "var", "var/run -> ../../.." + outside);
    }

    @Test
    void aLinkPutOnTheWayWhileTheStepRanKeepsTheRemovalInTheTree() throws IOException {
        Files.createDirectories(tree.resolve("run"));
        try (MountPoints points = new MountPoints(tree)) {
            assertThat(points.place("/run/x", MountPoints.Kind.EMPTY)).isEqualTo("/run/x");
            assertThat(points.place("/run/secrets/s", MountPoints.Kind.FILE)).isEqualTo("/run/secrets/s");
            // what a process the step left behind could do before the clean-up
            Files.move(tree.resolve("run"), tree.resolve("moved"));
            Files.createSymbolicLink(tree.resolve("run"), outside);
        }
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(tree.resolve("moved/x")).as("no longer where berth made it: the image's now").isDirectory();
    }

    @Test
    void onlyWhatBerthMadeAndIsStillEmptyIsRemoved() throws IOException {
        Files.createDirectories(tree.resolve("proc"));
        try (MountPoints points = new MountPoints(tree)) {
            points.place("/proc", MountPoints.Kind.EMPTY);
            points.place("/data/in", MountPoints.Kind.DIRECTORY);
            points.place("/cache/file", MountPoints.Kind.FILE);
            Files.writeString(tree.resolve("data/in/left-by-the-step"), "x");
            Files.writeString(tree.resolve("cache/file"), "written");
        }
        assertThat(listing(tree)).containsExactly("cache", "cache/file", "data", "data/in", "data/in/left-by-the-step", "proc");
    }

    @Test
    void aMountInsideAnEarlierOneFollowsNoLinkOfTheHost() throws IOException {
        try (MountPoints points = new MountPoints(tree)) {
            assertThat(points.place("/dev", MountPoints.Kind.EMPTY)).isEqualTo("/dev");
            assertThat(points.place("/dev/shm/x", MountPoints.Kind.EMPTY)).isEqualTo("/dev/shm/x");
            assertThat(tree.resolve("dev")).isEmptyDirectory();
            points.place("/tools", MountPoints.Kind.DIRECTORY);
            assertThatThrownBy(() -> points.place("/tools/sub", MountPoints.Kind.EMPTY)).isInstanceOf(BerthException.class)
                    .hasMessage("cannot mount on /tools/sub: it lies inside /tools, where a host directory is mounted;"
                            + " berth makes no mount point in a mounted host directory");
        }
        assertThat(listing(tree)).isEmpty();
    }

    @Test
    void aLoopOrAFileOnTheWayIsOneClearError() throws IOException {
        Files.createSymbolicLink(tree.resolve("run"), Path.of("/run"));
        Files.writeString(tree.resolve("etc"), "a file");
        try (MountPoints points = new MountPoints(tree)) {
            assertThatThrownBy(() -> points.place("/run/secrets/s", MountPoints.Kind.FILE)).isInstanceOf(BerthException.class)
                    .hasMessage("cannot mount on /run/secrets/s: too many symbolic links (the last /run)");
            assertThatThrownBy(() -> points.place("/etc/resolv.conf", MountPoints.Kind.FILE)).isInstanceOf(BerthException.class)
                    .hasMessage("cannot mount on /etc/resolv.conf: /etc in the image is not a directory");
            assertThat(points.existingDirectory("/etc")).isEmpty();
            assertThat(points.existingDirectory("/run")).isEmpty();
        }
    }

    /** Every entry below {@code dir}, links as {@code name -> target}, never followed. */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(path -> !path.equals(dir)).map(path -> {
                String name = dir.relativize(path).toString();
                try {
                    return Files.isSymbolicLink(path) ? name + " -> " + Files.readSymbolicLink(path) : name;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
