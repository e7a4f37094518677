package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What APT needs to run as a fake root: it drops privileges to its {@code _apt} user and then
 * checks that its ids changed, which they cannot where only one uid is mapped (the
 * {@link FakeRootFilter} makes the change itself succeed). This setting skips the check; it is
 * given only to the sandbox, never written into an image's layers.
 */
public final class AptFakeRoot {
    /** Where APT reads settings from, relative to the root. */
    static final String CONFIGURATION_DIRECTORY = "etc/apt/apt.conf.d";
    static final String FILE_NAME = "zz-berth-fake-root";
    static final String SETTING = "APT::Sandbox::Verify::IDs \"false\";\n";

    private AptFakeRoot() {
    }

    /** Whether the tree {@code root} has APT. */
    public static boolean present(Path root) {
        return Files.isDirectory(root.resolve(CONFIGURATION_DIRECTORY), LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes the setting into a root whose changes are thrown away after the run (a --writable-tmpfs overlay). */
    public static void writeInto(Path disposableRoot) throws IOException {
        if (present(disposableRoot)) {
            Files.writeString(disposableRoot.resolve(CONFIGURATION_DIRECTORY).resolve(FILE_NAME), SETTING);
        }
    }
}
