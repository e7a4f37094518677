package dev.berth.cli.commands.trust;

import dev.berth.oci.BerthException;
import dev.berth.trust.AcceptedKey;
import dev.berth.trust.VerifyingKey;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The public keys {@code --key FILE} and {@code --keys DIR} name, each shown under its file name. */
public final class AcceptedKeys {
    private final List<Path> files = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();

    public void addFile(Path file) {
        files.add(file);
    }

    public void addDirectory(Path directory) {
        directories.add(directory);
    }

    public boolean any() {
        return !files.isEmpty() || !directories.isEmpty();
    }

    public List<AcceptedKey> load() throws IOException {
        List<Path> all = new ArrayList<>(files);
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new BerthException("KEY_INVALID", "--keys " + directory + " is not a directory of .pub files");
            }
            try (DirectoryStream<Path> keys = Files.newDirectoryStream(directory, "*.{pub,pem}")) {
                keys.forEach(all::add);
            }
        }
        if (all.isEmpty()) {
            throw new BerthException("USAGE", "no public key to verify with: give --key FILE.pub, --keys DIR or --trusted");
        }
        List<AcceptedKey> keys = new ArrayList<>();
        for (Path file : all.stream().sorted().toList()) {
            keys.add(new AcceptedKey(file.getFileName().toString(), VerifyingKey.read(Files.readAllBytes(file), file.toString())));
        }
        return keys;
    }
}
