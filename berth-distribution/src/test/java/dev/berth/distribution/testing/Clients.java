package dev.berth.distribution.testing;

import dev.berth.distribution.Registries;
import dev.berth.distribution.RetryPolicy;
import dev.berth.distribution.auth.CredentialStore;
import dev.berth.distribution.config.BerthConfig;
import dev.berth.distribution.copy.ImageLocation;
import dev.berth.distribution.copy.ImageTransfer;
import dev.berth.oci.store.LocalStore;
import dev.berth.oci.transfer.CopyListener;
import dev.berth.oci.transfer.ImageCopier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Wires the client the way the CLI does, with short retry pauses so fault tests stay quick. */
public final class Clients {
    public static final RetryPolicy QUICK_RETRIES = new RetryPolicy(8, Duration.ofMillis(20), Duration.ofMillis(200));

    private Clients() {
    }

    public static Registries registries(Path credentialFile) {
        return registries(BerthConfig.EMPTY, credentialFile, QUICK_RETRIES);
    }

    public static Registries registries(BerthConfig config, Path credentialFile, RetryPolicy retry) {
        return new Registries(config, new CredentialStore(List.of(credentialFile), credentialFile), retry, false);
    }

    public static ImageTransfer transfer(Registries registries, LocalStore store, CopyListener listener) {
        return new ImageTransfer(registries, () -> store, new ImageCopier(ImageCopier.DEFAULT_PARALLELISM, listener));
    }

    public static ImageLocation at(String location) {
        return ImageLocation.parse(location);
    }
}
