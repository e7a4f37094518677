package dev.berth.runtime;

import java.util.List;
import java.util.Map;

/**
 * Every process berth starts on the host gets an environment berth built, never one inherited
 * or taken from an image: variables such as LD_PRELOAD, LD_AUDIT or GCONV_PATH would otherwise
 * make host programs (bwrap, squashfuse_ll, tar2sqfs) load files that an image or another user
 * placed. The programs are named by absolute path, so PATH only serves the shell steps between.
 */
public final class HostProcess {
    static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");

    private HostProcess() {
    }

    public static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(ENVIRONMENT);
        return builder;
    }
}
