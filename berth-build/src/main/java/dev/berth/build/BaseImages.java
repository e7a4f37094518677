package dev.berth.build;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.runtime.ImageFile;

import java.io.IOException;
import java.util.List;

/** Where FROM and COPY --from find an image by name: in the local store, pulled first when absent. */
@FunctionalInterface
public interface BaseImages {
    /** A base image for this machine's platform: its manifest digest, layers, config and runnable file. */
    record BaseImage(String name, Digest manifest, List<Descriptor> layers, byte[] config, ImageFile file) {
        public BaseImage {
            layers = List.copyOf(layers);
        }
    }

    BaseImage open(String reference) throws IOException;
}
