package dev.berth.build;

import dev.berth.oci.Reference;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code berth build} was asked: the context, the recipe, the names to give the image, build
 * arguments, the stage to stop at, whether RUN gets the network, SOURCE_DATE_EPOCH, which
 * makes every time in the image that instant (or earlier) so that a rebuild is bit-identical,
 * whether earlier results may be reused ({@code useCache}; new results are remembered anyway),
 * and the secrets and SSH agents RUN steps may mount.
 */
public record BuildRequest(Path context, Path recipe, List<Reference> tags, Map<String, String> buildArguments,
                           Optional<String> target, boolean network, Optional<Instant> sourceDate, boolean useCache,
                           BuildSecrets secrets) {
    public BuildRequest {
        tags = List.copyOf(tags);
        buildArguments = Map.copyOf(buildArguments);
    }

    /** The same request with these secrets and agents (a rebuild gets them from the command line, never from provenance). */
    public BuildRequest withSecrets(BuildSecrets given) {
        return new BuildRequest(context, recipe, tags, buildArguments, target, network, sourceDate, useCache, given);
    }
}
