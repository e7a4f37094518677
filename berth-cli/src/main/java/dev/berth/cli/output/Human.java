package dev.berth.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Sizes and ages the way docker prints them: {@code 4.26MB}, {@code 3 days ago}. */
public final class Human {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private Human() {
    }

    /** Decimal units, as docker images uses. */
    public static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.3g%s", value, UNITS[unit]);
    }

    public static String ago(Instant then, Instant now) {
        if (then == null) {
            return "N/A";
        }
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.getSeconds() < 60) {
            return "Less than a minute ago";
        }
        if (d.toMinutes() < 60) {
            return plural(d.toMinutes(), "minute");
        }
        if (d.toHours() < 48) {
            return plural(d.toHours(), "hour");
        }
        if (d.toDays() < 14) {
            return plural(d.toDays(), "day");
        }
        if (d.toDays() < 60) {
            return plural(d.toDays() / 7, "week");
        }
        if (d.toDays() < 730) {
            return plural(d.toDays() / 30, "month");
        }
        return plural(d.toDays() / 365, "year");
    }

    private static String plural(long n, String unit) {
        return (n == 1 ? "About a" + (unit.equals("hour") ? "n " : " ") + unit : n + " " + unit + "s") + " ago";
    }
}
