package dev.berth.build;

import dev.berth.runtime.sandbox.BuildStepSandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a RUN step's {@code --mount}s give it: the mounts, the variables they set (a secret as a
 * variable, SSH_AUTH_SOCK), and what must be undone when the step ends, first to last: cache
 * entries let go, secret copies removed.
 */
final class StepMounts implements AutoCloseable {
    /** Something the step held that ends with it. */
    @FunctionalInterface
    interface Release {
        void release() throws IOException;
    }

    private final List<BuildStepSandbox.Mount> mounts = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Release> releases = new ArrayList<>();

    void mount(BuildStepSandbox.Mount mount) {
        mounts.add(mount);
    }

    /** Sets a variable for the step; of two mounts that set one (two ssh mounts: SSH_AUTH_SOCK), the first wins. */
    void set(String variable, String value) {
        environment.putIfAbsent(variable, value);
    }

    void releaseAfter(Release release) {
        releases.add(release);
    }

    List<BuildStepSandbox.Mount> mounts() {
        return List.copyOf(mounts);
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Release release : releases) {
            try {
                release.release();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
