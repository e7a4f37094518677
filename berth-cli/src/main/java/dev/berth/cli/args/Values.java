package dev.berth.cli.args;

/** Conversions of option values that report a bad value as a usage error. */
public final class Values {
    private Values() {
    }

    public static int integer(String option, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " needs a whole number, not '" + text + "'");
        }
    }
}
