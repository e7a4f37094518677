package dev.berth.cli.commands.client;

import dev.berth.cli.output.Human;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.transfer.CopyListener;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows a copy as it goes. On a terminal: one live line per blob with bytes, total and rate,
 * redrawn in place like {@code docker pull}. Elsewhere (a log, a pipe): one plain line when a
 * blob starts, is skipped, or is done. Quiet: nothing.
 */
final class ProgressDisplay implements CopyListener {
    private static final long REDRAW_NANOS = 100_000_000L;

    enum Mode { LIVE, PLAIN, QUIET }

    private final PrintWriter out;
    private final Mode mode;
    private final String activeVerb;
    private final String doneVerb;
    private final Map<Digest, Line> lines = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw;

    private static final class Line {
        final Descriptor blob;
        final long started = System.nanoTime();
        String state;
        long bytes;

        Line(Descriptor blob, String state) {
            this.blob = blob;
            this.state = state;
        }
    }

    /** @param activeVerb e.g. "Downloading"; @param doneVerb e.g. "Downloaded" */
    ProgressDisplay(PrintWriter out, Mode mode, String activeVerb, String doneVerb) {
        this.out = out;
        this.mode = mode;
        this.activeVerb = activeVerb;
        this.doneVerb = doneVerb;
    }

    /** LIVE when the process's output is a terminal, else PLAIN; QUIET when asked. */
    static Mode modeFor(boolean quiet) {
        if (quiet) {
            return Mode.QUIET;
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal() && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM")) ? Mode.LIVE : Mode.PLAIN;
    }

    @Override
    public synchronized void blobSkipped(Descriptor blob) {
        lines.put(blob.digest(), new Line(blob, "Already exists"));
        plain(blob, "Already exists");
        redraw(true);
    }

    @Override
    public synchronized void blobStarted(Descriptor blob) {
        lines.put(blob.digest(), new Line(blob, activeVerb));
        if (mode == Mode.PLAIN) { // the size is worded only when shown: the first formatting costs 10-15 ms
            plain(blob, activeVerb + " " + Human.size(blob.size()));
        }
        redraw(true);
    }

    @Override
    public synchronized void blobProgress(Descriptor blob, long bytesSoFar) {
        Line line = lines.get(blob.digest());
        if (line != null) {
            line.bytes = bytesSoFar;
            redraw(false);
        }
    }

    @Override
    public synchronized void blobDone(Descriptor blob) {
        Line line = lines.get(blob.digest());
        if (line != null) {
            line.state = doneVerb;
            line.bytes = blob.size();
        }
        plain(blob, doneVerb);
        redraw(true);
    }

    private void plain(Descriptor blob, String what) {
        if (mode == Mode.PLAIN) {
            out.println(blob.digest().shortHex() + ": " + what);
            out.flush();
        }
    }

    private void redraw(boolean force) {
        long now = System.nanoTime();
        if (mode != Mode.LIVE || (!force && now - lastDraw < REDRAW_NANOS)) {
            return;
        }
        lastDraw = now;
        StringBuilder screen = new StringBuilder();
        if (drawnLines > 0) {
            screen.append("\033[").append(drawnLines).append('A');
        }
        List<Line> all = new ArrayList<>(lines.values());
        for (Line line : all) {
            screen.append("\r\033[2K").append(render(line, now)).append('\n');
        }
        drawnLines = all.size();
        out.print(screen);
        out.flush();
    }

    private String render(Line line, long now) {
        String prefix = line.blob.digest().shortHex() + ": " + line.state;
        if (!line.state.equals(activeVerb)) {
            return prefix;
        }
        double seconds = Math.max((now - line.started) / 1e9, 0.001);
        return prefix + " " + Human.size(line.bytes) + "/" + Human.size(line.blob.size())
                + " " + Human.size((long) (line.bytes / seconds)) + "/s";
    }
}
