package dev.berth.runtime.flatten;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SequencedMap;

/** Writes an image's merged layers, with files of berth's own above them, as a squashfs file. */
public final class FlattenedImage {
    private FlattenedImage() {
    }

    /**
     * Writes {@code target} from {@code layers} (bottom first, as in a manifest) and
     * {@code berthFiles} (path to content). Almost every layer holds each path once, so the layers
     * are streamed in one read; only when one repeats a path is the conversion started over with
     * every layer read twice, to learn which of its entries survive before writing any.
     */
    public static void write(Path target, SequencedMap<String, byte[]> berthFiles, List<Layer> layers, String what,
                             SquashfsWriter.BeforePublish beforePublish) throws IOException {
        try {
            write(target, berthFiles, layers, what, false, beforePublish);
        } catch (LayerFlattener.RepeatedPathFound found) {
            write(target, berthFiles, layers, what, true, beforePublish);
        }
    }

    private static void write(Path target, SequencedMap<String, byte[]> berthFiles, List<Layer> layers, String what,
                              boolean prescan, SquashfsWriter.BeforePublish beforePublish) throws IOException {
        SquashfsWriter.write(target, tar -> {
            LayerFlattener flattener = new LayerFlattener(tar, prescan);
            for (var file : berthFiles.entrySet()) {
                flattener.addFile(file.getKey(), file.getValue());
            }
            flattener.flatten(layers);
        }, what, beforePublish);
    }
}
