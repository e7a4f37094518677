package dev.berth.cli.commands;

import dev.berth.cli.commands.client.PullOnFirstUse;
import dev.berth.cli.commands.trust.RunPolicy;
import dev.berth.oci.HomeDirectory;
import dev.berth.oci.store.LocalStore;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.ImageResolver;
import dev.berth.runtime.devices.InjectionPlan;
import dev.berth.runtime.site.SiteInjection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What run, exec, shell, convert and check share: the image REF names, as a runnable file, which
 * the runtime's {@link ImageResolver} finds with the puller and the policy wired here.
 */
abstract class ContainerCommand extends StoreCommand {
    /** How commands that run an image describe REF. */
    protected static final String REFERENCE_HELP =
            "An image in the local store (pulled first when absent), or an image file from 'berth convert'.";

    /** Starts REF's container as {@code flags} say; {@code choice} takes the command from the image's config. */
    protected static int runContainer(String reference, LocalStore store, ContainerFlags flags,
                                      ContainerRunner.CommandChoice choice) throws IOException {
        // before the image is pulled or prepared: an unknown module or a missing module file stops the run while that is cheap
        InjectionPlan site = SiteInjection.plan(SiteSettings.get(), flags.siteChoice());
        ImageCache cache = cache(flags.sharedCache);
        RunPolicy policy = RunPolicy.load(System.getenv());
        ImageFile image = images(store, cache, policy).resolve(reference);
        return new ContainerRunner(cache, System.getenv(), BerthState.of(store, System.getenv()), site,
                LauncherHandoff.offered(reference, store, policy)).run(image, flags.toOptions(), choice);
    }

    protected static ImageCache cache(Path sharedCache) throws IOException {
        return ImageCache.fromEnvironment(System.getenv(), HomeDirectory.of(System.getenv()), sharedCache,
                SiteSettings.get(), notice -> System.err.println("berth: " + notice));
    }

    /**
     * How REF becomes the image file to use, wired with what the runtime cannot do itself: an image
     * the store lacks is pulled (progress on standard error), and {@code policy} must let it run
     * ({@link ImageResolver.Policy#NONE} for commands that do not run it).
     */
    protected static ImageResolver images(LocalStore store, ImageCache cache, ImageResolver.Policy policy) {
        return new ImageResolver(store, cache, reference -> PullOnFirstUse.pull(reference, store, new PrintWriter(System.err, true)),
                policy);
    }
}
