package dev.berth.runtime.check;

import dev.berth.runtime.devices.LdconfigCache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The image's MPI against the host's: a multi-node job either runs the image's MPI inside
 * (and needs a launcher that speaks to it) or binds the host's MPI in, which works only for
 * the same ABI. Found by name: libmpi.so.N in the image's library directories, and in the
 * host's ldconfig cache.
 */
final class MpiCheck {
    static final String NAME = "mpi";

    private MpiCheck() {
    }

    static Finding check(ImageFiles image, List<LdconfigCache.Library> hostLibraries) throws IOException {
        Optional<MpiLibrary> inImage = Optional.empty();
        for (Path file : image.filesIn(ImageFiles.LIBRARY_DIRECTORIES, name -> name.startsWith("libmpi.so."), 1)) {
            inImage = MpiLibrary.of(file.getFileName().toString(), file);
        }
        Optional<MpiLibrary> onHost = Optional.empty();
        for (LdconfigCache.Library library : hostLibraries) {
            onHost = onHost.isPresent() ? onHost : MpiLibrary.of(library.name(), library.path());
        }
        if (inImage.isEmpty()) {
            return Finding.ok(NAME, "the image has no MPI library" + onHost.map(host -> "; the host has " + host).orElse(""));
        }
        if (onHost.isEmpty()) {
            return Finding.info(NAME, "the image has " + inImage.get() + "; the host's ldconfig cache lists no libmpi to compare with");
        }
        String detail = "the image has " + inImage.get() + ", the host has " + onHost.get();
        return inImage.get().abiCompatibleWith(onHost.get()) ? Finding.ok(NAME, detail + ": the same ABI")
                : Finding.warning(NAME, detail + ": different ABIs; run the image's own MPI, or use an image built for the host's");
    }
}
