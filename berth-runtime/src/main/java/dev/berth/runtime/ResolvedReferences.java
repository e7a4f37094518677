package dev.berth.runtime;

import dev.berth.oci.AtomicFiles;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Remembers which manifest a REF resolved to, for as long as the store's name list is the file
 * it was then. Reading that list needs the JSON library, whose loading was the largest part of
 * a run's start-up; the store writes the list by rename, so a new version is a new file and the
 * memo's stamp (file key, size, modification time) no longer matches.
 */
final class ResolvedReferences {
    private static final int MAX_ENTRIES = 256;

    private final Path memo;
    private final Path names;

    ResolvedReferences(Path memo, Path names) {
        this.memo = memo;
        this.names = names;
    }

    Optional<Descriptor> find(String reference) {
        try {
            String stamp = stamp();
            for (String line : Files.readAllLines(memo, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", -1);
                if (fields.length == 4 && fields[0].equals(stamp) && fields[1].equals(reference)) {
                    return Optional.of(Descriptor.of(fields[2], Digest.parse(fields[3]), 0));
                }
            }
        } catch (IOException | RuntimeException stale) {
            // no memo, no name list or a damaged line: resolve the slow way
        }
        return Optional.empty();
    }

    void remember(String reference, Descriptor root) {
        if (reference.contains("\t") || reference.contains("\n")) {
            return;
        }
        try {
            String stamp = stamp();
            List<String> lines = new ArrayList<>();
            lines.add(stamp + "\t" + reference + "\t" + root.mediaType() + "\t" + root.digest());
            if (Files.exists(memo)) {
                Files.readAllLines(memo, StandardCharsets.UTF_8).stream()
                        .filter(line -> line.startsWith(stamp + "\t") && !line.startsWith(stamp + "\t" + reference + "\t"))
                        .limit(MAX_ENTRIES - 1).forEach(lines::add);
            }
            AtomicFiles.write(memo, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException notWritable) {
            // the memo only saves time; a run never fails for want of it
        }
    }

    private String stamp() throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(names, BasicFileAttributes.class);
            return attributes.fileKey() + "/" + attributes.size() + "/" + attributes.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            throw new IOException("no name list yet", e);
        }
    }
}
