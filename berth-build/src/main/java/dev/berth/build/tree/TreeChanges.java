package dev.berth.build.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What one step changed in a build tree, as a layer says it: the paths it added or changed
 * (with their parent directories, so that the layer recreates them as they are), and the
 * paths it deleted, each only at its topmost point (a deleted directory is one whiteout).
 */
public record TreeChanges(List<String> written, List<String> deleted) {
    public TreeChanges {
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
    }

    static TreeChanges between(TreeSnapshot before, TreeSnapshot after) {
        TreeSet<String> written = new TreeSet<>();
        for (Map.Entry<String, TreeSnapshot.Entry> entry : after.entries().entrySet()) {
            if (!Objects.equals(before.entries().get(entry.getKey()), entry.getValue())) {
                for (String path = entry.getKey(); path != null; path = parent(path)) {
                    if (!written.add(path)) {
                        break;
                    }
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String path : before.entries().keySet()) {
            if (after.entries().containsKey(path)) {
                continue;
            }
            String parent = parent(path);
            TreeSnapshot.Entry parentNow = parent == null ? null : after.entries().get(parent);
            boolean parentStays = parent == null || parentNow != null && parentNow.isDirectory();
            if (parentStays) {
                deleted.add(path);
            }
        }
        return new TreeChanges(List.copyOf(written), deleted);
    }

    public boolean isEmpty() {
        return written.isEmpty() && deleted.isEmpty();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }
}
