package dev.berth.runtime.check;

/**
 * One check's outcome.
 *
 * @param check   what was compared ("architecture", "x86-64 level", "glibc", "mpi", "memory" ...)
 * @param verdict how it came out
 * @param detail  one line a user can act on: what the image needs and what this host has
 */
public record Finding(String check, Verdict verdict, String detail) {
    public static Finding ok(String check, String detail) {
        return new Finding(check, Verdict.OK, detail);
    }

    public static Finding info(String check, String detail) {
        return new Finding(check, Verdict.INFO, detail);
    }

    public static Finding warning(String check, String detail) {
        return new Finding(check, Verdict.WARNING, detail);
    }

    public static Finding problem(String check, String detail) {
        return new Finding(check, Verdict.PROBLEM, detail);
    }
}
