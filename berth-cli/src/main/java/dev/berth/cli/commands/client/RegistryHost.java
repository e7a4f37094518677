package dev.berth.cli.commands.client;

import dev.berth.oci.BerthException;
import dev.berth.oci.Reference;

/** The registry a login is for, written the ways users write it: {@code ghcr.io}, {@code https://host:5000/v2/}, {@code docker.io}. */
public final class RegistryHost {
    private RegistryHost() {
    }

    public static String normalise(String text) {
        String host = text.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        if (host.isEmpty()) {
            throw new BerthException("USAGE", "no registry host in \"" + text + "\"");
        }
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            return Reference.DEFAULT_REGISTRY;
        }
        // Let the reference grammar judge the host: it knows ports and IPv6 brackets.
        return Reference.parse(host + "/x").registry();
    }
}
