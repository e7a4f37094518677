package dev.berth.cli.commands.client;

import dev.berth.cli.commands.SiteSettings;
import dev.berth.distribution.Registries;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.ImageCopier;
import dev.berth.oci.transfer.PlatformChoice;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Pulls an image that run, exec, shell or convert name but the local store lacks, as
 * {@code docker run} does: this machine's platform, the default registry settings and
 * credentials, progress on standard error so the container's output stays its own.
 */
public final class PullOnFirstUse {
    private PullOnFirstUse() {
    }

    public static void pull(String reference, LocalStore store, PrintWriter progress) throws IOException {
        Reference image = Reference.parse(reference);
        ProgressDisplay display = new ProgressDisplay(progress, ProgressDisplay.modeFor(false), "Downloading", "Downloaded");
        try (Registries registries = new RegistryFlags().registries()) {
            SiteSettings.get().requirePullAllowed(image.registry());
            ImageTransfer transfer = new ImageTransfer(registries, () -> store,
                    new ImageCopier(ImageCopier.DEFAULT_PARALLELISM, display));
            transfer.copy(new ImageLocation.Registry(image), new ImageLocation.Store(image.toString()), PlatformChoice.host());
        } catch (BerthException e) {
            throw new BerthException(e.code(), "no image \"" + reference + "\" in the local store, and pulling it failed: "
                    + e.getMessage(), e);
        }
        progress.flush();
    }
}
