package dev.berth.build;

import dev.berth.build.tree.TreeChanges;
import dev.berth.oci.layer.LayerWriter;
import dev.berth.oci.layer.Whiteout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Writes what a step changed as a layer: entries sorted by their name in the tar, whiteouts among them. */
final class LayerCommit {
    private LayerCommit() {
    }

    static LayerWriter.Written write(Path tree, TreeChanges changes, Map<String, LayerWriter.Owner> owners,
                                     Optional<Instant> clamp, Path file) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        changes.written().forEach(path -> entries.put(path, path));
        for (String deleted : changes.deleted()) {
            int slash = deleted.lastIndexOf('/');
            entries.put(deleted.substring(0, slash + 1) + Whiteout.PREFIX + deleted.substring(slash + 1), null);
        }
        try (LayerWriter writer = LayerWriter.create(file, clamp)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                if (entry.getValue() == null) {
                    writer.whiteout(Whiteout.target(entry.getKey()));
                } else {
                    writer.add(tree, entry.getValue(), owners.getOrDefault(entry.getValue(), LayerWriter.Owner.ROOT));
                }
            }
            return writer.finish();
        }
    }
}
