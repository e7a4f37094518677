package dev.berth.runtime.check;

import dev.berth.oci.Platform;

/** The image's os/architecture/variant against this machine's. */
final class ArchitectureCheck {
    static final String NAME = "architecture";

    private ArchitectureCheck() {
    }

    static Finding check(Platform image, HostFacts host) {
        Platform here = Platform.parse("linux/" + host.architecture());
        if (image.architecture() == null) {
            return Finding.warning(NAME, "the image's config names no architecture; this machine is " + here);
        }
        String detail = "the image is for " + image + ", this machine is " + here;
        return image.satisfies(here) ? Finding.ok(NAME, detail) : Finding.problem(NAME, detail);
    }
}
