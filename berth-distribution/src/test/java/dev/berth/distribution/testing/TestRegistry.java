package dev.berth.distribution.testing;

/** A registry a test started on 127.0.0.1: docker-registry, or berth serve in berth-cli's tests. */
public interface TestRegistry extends AutoCloseable {
    int port();

    /** host:port, as in image references. */
    default String host() {
        return "127.0.0.1:" + port();
    }

    @Override
    void close();
}
