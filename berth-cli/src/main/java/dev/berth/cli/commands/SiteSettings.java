package dev.berth.cli.commands;

import dev.berth.runtime.site.SiteConfig;
import dev.berth.runtime.site.SiteConfigReader;

import java.io.IOException;

/**
 * The site configuration this berth process obeys, read once: several parts of one command
 * consult it (the cache, the pull, the container), and a file that is ignored is said so once.
 */
public final class SiteSettings {
    private static SiteConfig loaded;

    private SiteSettings() {
    }

    public static synchronized SiteConfig get() throws IOException {
        // read again when tests that run berth in this JVM name another file
        if (loaded == null || !loaded.file().equals(SiteConfigReader.location())) {
            loaded = SiteConfigReader.load(warning -> System.err.println("berth: " + warning));
        }
        return loaded;
    }
}
