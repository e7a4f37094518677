package dev.berth.registry.http;

import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.SelectableChannel;

/**
 * Closes every connection accepted while {@code max} are open, so that idle clients cannot make the
 * server hold unbounded memory. Jetty's own {@code NetworkConnectionLimit} stops accepting instead,
 * which leaves the next clients waiting in the kernel's queue until their own timeouts end; closed
 * at once, they fail fast and retry. Logs one line each time the cap is reached.
 */
public final class ConnectionCap implements SelectorManager.AcceptListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final int max;
    /** Accepted and not yet set up, plus set up and not yet closed. */
    private int open;
    private boolean refusing;

    public ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public synchronized void onAccepting(SelectableChannel channel) {
        open++;
        if (open <= max) {
            return;
        }
        if (!refusing) {
            refusing = true;
            LOG.warn("{} connections are open (max-connections = {}): closing new connections until some end", max, max);
        }
        // Jetty then fails to register the closed channel and calls onAcceptFailed, which counts it out.
        IO.close(channel);
    }

    @Override
    public synchronized void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        closed();
    }

    @Override
    public synchronized void onClosed(SelectableChannel channel) {
        closed();
    }

    private void closed() {
        open--;
        if (open < max) {
            refusing = false;
        }
    }
}
