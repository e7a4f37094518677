package dev.berth.runtime.check;

import java.util.Locale;

/** How one check came out, from fine to will-not-run. */
public enum Verdict {
    /** The image and this host agree. */
    OK,
    /** Nothing to compare here (no GPU driver on this host, no MPI in the image). */
    INFO,
    /** It may run, or run worse: worth knowing before a job is queued. */
    WARNING,
    /** It will not run here as it is, or not as the image asks. */
    PROBLEM;

    /** The verdict as the table and the JSON write it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
