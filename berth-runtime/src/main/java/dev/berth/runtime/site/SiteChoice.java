package dev.berth.runtime.site;

import java.util.List;

/**
 * What the user asked of the site's configuration for one run. A user can add modules the site
 * offers and leave out what it adds by default; nothing a user says adds a bind, a variable or a
 * registry the site did not name.
 *
 * @param modules          --module: enabled whether or not the site enables them by default
 * @param leftOut          --no-module: default modules left out
 * @param noDefaultModules --no-modules: every default module left out (--module still adds one)
 * @param noDefaultBinds   --no-default-binds: the site's [binds] default left out
 */
public record SiteChoice(List<String> modules, List<String> leftOut, boolean noDefaultModules, boolean noDefaultBinds) {
    public static final SiteChoice DEFAULTS = new SiteChoice(List.of(), List.of(), false, false);

    public SiteChoice {
        modules = List.copyOf(modules);
        leftOut = List.copyOf(leftOut);
    }

    boolean enables(SiteModule module) {
        return modules.contains(module.name())
                || (module.enabledByDefault() && !noDefaultModules && !leftOut.contains(module.name()));
    }
}
