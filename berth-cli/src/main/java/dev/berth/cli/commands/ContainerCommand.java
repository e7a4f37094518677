package dev.berth.cli.commands;

import dev.berth.cli.commands.client.PullOnFirstUse;
import dev.berth.cli.commands.trust.RunPolicy;
import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ManifestBytes;
import dev.berth.oci.store.ImageRecord;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.runtime.ContainerRunner;
import dev.berth.runtime.ImageCache;
import dev.berth.runtime.ImageConverter;
import dev.berth.runtime.ImageFile;
import dev.berth.runtime.devices.InjectionPlan;
import dev.berth.runtime.site.SiteInjection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What run, exec, shell and convert share: finding the image REF names, as a runnable file.
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
        ImageFile image = resolve(reference, store, cache, policy);
        return new ContainerRunner(cache, System.getenv(), BerthState.of(store, System.getenv()), site,
                LauncherHandoff.offered(reference, store, policy)).run(image, flags.toOptions(), choice);
    }

    protected static ImageCache cache(Path sharedCache) throws IOException {
        return ImageCache.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), sharedCache,
                SiteSettings.get(), notice -> System.err.println("berth: " + notice));
    }

    /**
     * The image file for REF: a path to an image file, or an image of the local store converted
     * (once, then from the cache); an image the store lacks is pulled first, as {@code docker run} does.
     * {@code policy} (null: none, for commands that do not run the image) must let it run.
     */
    protected static ImageFile resolve(String reference, LocalStore store, ImageCache cache, RunPolicy policy) throws IOException {
        Path asFile = Path.of(reference);
        if (Files.isRegularFile(asFile)) {
            if (policy != null) {
                policy.requireFile(asFile);
            }
            return ImageFile.open(asFile);
        }
        ResolvedReferences resolved = new ResolvedReferences(cache.userDirectory().resolve("references"),
                store.namesFile());
        Optional<Descriptor> remembered = resolved.find(reference);
        Optional<Path> converted = remembered.isPresent() ? cache.find(remembered.get().digest()) : Optional.empty();
        if (converted.isPresent()) {
            if (policy != null) {
                policy.requireImage(Reference.parse(reference), remembered.get().digest());
            }
            return ImageFile.open(converted.get());
        }
        if (store.find(reference).isEmpty()) {
            PullOnFirstUse.pull(reference, store, new PrintWriter(System.err, true));
        }
        ImageRecord record = store.require(reference);
        if (policy != null) {
            policy.requireImage(record.name(), record.root().digest());
        }
        if (!MediaType.isIndex(record.root().mediaType())) {
            // converted before: start without parsing manifest or config (the file carries what a run needs)
            converted = cache.find(record.root().digest());
            if (converted.isPresent()) {
                resolved.remember(reference, record.root());
                return ImageFile.open(converted.get());
            }
        }
        ManifestBytes root = store.manifest(record.root());
        ManifestBytes image = root;
        if (root.isIndex()) {
            Descriptor chosen = ImageCopier.choose(root, Platform.host());
            image = store.manifest(chosen);
        }
        String name = record.name().toString();
        ContainerRunner.requireRunnableHere(ImageConfig.parse(store.readBlob(image.manifest().config().digest())).platform(), name);
        return ImageFile.open(new ImageConverter(store, cache).squashfs(name, image));
    }
}
