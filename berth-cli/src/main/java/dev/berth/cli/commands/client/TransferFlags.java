package dev.berth.cli.commands.client;

import dev.berth.oci.Platform;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;
import picocli.CommandLine.Option;

/** How an image moves: which platforms, how many blobs at once, how much to print. */
final class TransferFlags {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "From a multi-platform image, take this platform (default: this machine's).")
    String platform;

    @Option(names = "--all-platforms", description = "Copy a multi-platform image whole, every platform it has.")
    boolean allPlatforms;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "" + ImageCopier.DEFAULT_PARALLELISM,
            description = "Blobs to transfer at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = {"-q", "--quiet"}, description = "Print only the digest of the image.")
    boolean quiet;

    PlatformChoice platforms(PlatformChoice fallback) {
        if (allPlatforms && platform != null) {
            throw new dev.berth.oci.BerthException("USAGE", "--platform and --all-platforms exclude each other");
        }
        if (allPlatforms) {
            return PlatformChoice.ALL;
        }
        return platform != null ? PlatformChoice.only(Platform.parse(platform)) : fallback;
    }

    int jobs() {
        if (jobs < 1 || jobs > 64) {
            throw new dev.berth.oci.BerthException("USAGE", "--jobs must be between 1 and 64");
        }
        return jobs;
    }
}
