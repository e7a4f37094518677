package dev.berth.runtime.site;

import dev.berth.oci.BerthException;
import dev.berth.runtime.devices.InjectionPlan;
import dev.berth.runtime.sandbox.Bind;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the site adds to one run's container: its default binds and the modules the run enables. */
public final class SiteInjection {
    private SiteInjection() {
    }

    /**
     * A default bind whose source this node lacks is left out without a word: sites list paths
     * that only some nodes have (a login node without /scratch), and a line per run would reach
     * the output of every rank of every job there. A module's files are what the module is for,
     * so one that is missing stops the run.
     */
    public static InjectionPlan plan(SiteConfig site, SiteChoice choice) {
        List<Bind> binds = new ArrayList<>();
        if (!choice.noDefaultBinds()) {
            site.defaultBinds().stream().filter(bind -> Files.exists(bind.source())).map(Bind::resolved).forEach(binds::add);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (SiteModule module : site.enabledModules(choice)) {
            for (Bind bind : module.binds()) {
                if (!Files.exists(bind.source())) {
                    throw new BerthException("MODULE_FILE_MISSING", "module " + module.name() + " of the site configuration "
                            + site.file() + " binds " + bind.source() + ", which is not on this node"
                            + (module.enabledByDefault() ? "; leave the module out with --no-module " + module.name() : ""));
                }
                binds.add(bind.resolved());
            }
            environment.putAll(module.environment());
        }
        return new InjectionPlan(List.of(), binds, environment, List.of(), List.of(), List.of(), List.of());
    }
}
