package dev.berth.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What APT needs to run as a fake root: it drops privileges to its {@code _apt} user and then
 * checks that its ids changed, which they cannot where only one uid is mapped (the
 * {@link FakeRootFilter} makes the change itself succeed). This setting skips the check; it is
 * given only to the sandbox, never written into an image's layers.
 */
public final class AptFakeRoot {
    /** Where APT reads settings from, inside the root. */
    static final String CONFIGURATION_DIRECTORY = "/etc/apt/apt.conf.d";
    static final String FILE_NAME = "zz-berth-fake-root";
    static final String SETTING = "APT::Sandbox::Verify::IDs \"false\";\n";

    private AptFakeRoot() {
    }

    /**
     * Writes the setting into a root whose changes are thrown away after the run (a --writable-tmpfs
     * overlay). The image's links lead where they lead inside the root, never out of it; one in the
     * setting's place is replaced, not written through.
     */
    public static void writeInto(Path disposableRoot) throws IOException {
        Optional<String> configuration = new MountPoints(disposableRoot).existingDirectory(CONFIGURATION_DIRECTORY);
        if (configuration.isEmpty()) {
            return;
        }
        try (TreeDirectory directory = TreeDirectory.path(disposableRoot, configuration.get())) {
            Path file = directory.entry(FILE_NAME);
            Files.deleteIfExists(file);
            Files.writeString(file, SETTING, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }
}
