package dev.berth.build.provenance;

import dev.berth.build.BaseImages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Base images that remember which image each reference resolved to the first time a build opened it. */
public final class RecordingBaseImages implements BaseImages {
    private final BaseImages images;
    private final Map<String, BuildProvenance.ResolvedBase> opened = new LinkedHashMap<>();

    public RecordingBaseImages(BaseImages images) {
        this.images = images;
    }

    @Override
    public synchronized BaseImage open(String reference) throws IOException {
        BaseImage image = images.open(reference);
        opened.putIfAbsent(reference, new BuildProvenance.ResolvedBase(reference, image.name(), image.manifest()));
        return image;
    }

    /** In the order the build first opened them. */
    public synchronized List<BuildProvenance.ResolvedBase> opened() {
        return new ArrayList<>(opened.values());
    }
}
