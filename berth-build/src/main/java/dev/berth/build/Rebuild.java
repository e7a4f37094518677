package dev.berth.build;

import dev.berth.build.provenance.BuildProvenance;
import dev.berth.oci.BerthException;
import dev.berth.oci.Digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A build done again from what its provenance recorded: the same recipe and context (each
 * checked by digest before anything runs), build arguments, target, network and source date
 * epoch, no step taken from the cache, and no name given to the result.
 */
public final class Rebuild {
    private Rebuild() {
    }

    /**
     * @param recipe the recipe to use, where it is not at the recorded path under {@code context}
     * @throws BerthException when the context or the recipe is not what the image was built from,
     *                        or the build had no source date epoch (so no rebuild can be identical)
     */
    public static BuildRequest request(BuildProvenance recorded, Path context, Optional<Path> recipe) throws IOException {
        if (recorded.sourceDate().isEmpty()) {
            throw new BerthException("REBUILD_NOT_REPRODUCIBLE", "the image was built without a source date epoch, "
                    + "so its times are the build's own and no rebuild can give the same digest");
        }
        Path recipeFile = recipe.orElseGet(() -> context.resolve(recorded.recipe()));
        if (!Files.isRegularFile(recipeFile)) {
            throw new BerthException("BUILD_RECIPE_MISSING", "there is no recipe " + recipeFile
                    + " (the image was built from " + recorded.recipe() + "; name its recipe with -f)");
        }
        Digest recipeDigest = Digest.of(Files.readAllBytes(recipeFile));
        if (!recipeDigest.equals(recorded.recipeDigest())) {
            throw new BerthException("REBUILD_SOURCE_DIFFERS", "the recipe " + recipeFile + " is not the one the image was built from ("
                    + recorded.recipeDigest() + " recorded, " + recipeDigest + " here)");
        }
        Digest contextDigest = BuildContext.open(context).digest();
        if (!contextDigest.equals(recorded.contextDigest())) {
            throw new BerthException("REBUILD_SOURCE_DIFFERS", "the context " + context + " is not the one the image was built from ("
                    + recorded.contextDigest() + " recorded, " + contextDigest + " here)");
        }
        return new BuildRequest(context, recipeFile, List.of(), recorded.buildArguments(), recorded.target(),
                recorded.network(), recorded.sourceDate(), false, BuildSecrets.NONE);
    }
}
