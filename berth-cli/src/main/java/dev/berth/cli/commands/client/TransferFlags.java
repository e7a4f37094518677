package dev.berth.cli.commands.client;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.cli.args.Values;
import dev.berth.oci.Platform;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;

/** How an image moves: which platforms, how many blobs at once, how much to print. */
final class TransferFlags {
    String platform;
    boolean allPlatforms;
    int jobs = ImageCopier.DEFAULT_PARALLELISM;
    boolean quiet;
    boolean json;

    void declare(Syntax syntax) {
        syntax.option("--platform", "OS/ARCH[/VARIANT]", "From a multi-platform image, take this platform (default: this machine's).",
                        value -> platform = value)
                .flag("--all-platforms", "Copy a multi-platform image whole, every platform it has.", () -> allPlatforms = true)
                .option("-j, --jobs", "N", "Blobs to transfer at once (default: " + ImageCopier.DEFAULT_PARALLELISM + ").",
                        value -> jobs = Values.integer("--jobs", value))
                .flag("-q, --quiet", "Print only the digest of the image.", () -> quiet = true)
                .flag("--json", "Print the result as JSON (source, destination, name, digest, media type); no progress.",
                        () -> json = true);
    }

    PlatformChoice platforms(PlatformChoice fallback) {
        if (allPlatforms && platform != null) {
            throw new UsageException("--platform and --all-platforms exclude each other");
        }
        if (allPlatforms) {
            return PlatformChoice.ALL;
        }
        return platform != null ? PlatformChoice.only(Platform.parse(platform)) : fallback;
    }

    int jobs() {
        if (jobs < 1 || jobs > 64) {
            throw new UsageException("--jobs must be between 1 and 64");
        }
        return jobs;
    }
}
