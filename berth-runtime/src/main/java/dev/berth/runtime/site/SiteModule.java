package dev.berth.runtime.site;

import dev.berth.runtime.sandbox.Bind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of host files and variables the site offers to containers, as Shifter's modules:
 * how a site injects its MPI, GPU libraries or licence servers. A run gets it with
 * {@code --module NAME}, or without asking when the site enables it by default.
 *
 * @param binds            host paths to bind; a missing one is an error, since the module needs it
 * @param environment      set inside after the image's variables; the user's own (-e, --env-file, BERTHENV_) win
 * @param enabledByDefault in every run that does not leave it out (--no-module NAME, --no-modules)
 */
public record SiteModule(String name, String description, List<Bind> binds, Map<String, String> environment,
                         boolean enabledByDefault) {
    public SiteModule {
        binds = List.copyOf(binds);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
}
