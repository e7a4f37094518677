package dev.berth.oci;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them in labels and config: binary units, as SLURM's {@code --mem}
 * ({@code 16G}, {@code 16GiB} and {@code 16GB} mean the same), {@code B} for bytes. A number
 * needs a unit, so that {@code 16} is never read as 16 bytes when 16 GiB was meant; only
 * {@code 0} is the same in every unit.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([KMGTP])(?:i?B)?|B)", Pattern.CASE_INSENSITIVE);
    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {
    }

    /** {@code 16G} in bytes; empty when the text is no size. */
    public static Optional<Long> parse(String text) {
        String size = text.strip();
        if (size.equals("0")) {
            return Optional.of(0L);
        }
        Matcher matcher = SIZE.matcher(size);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int power = matcher.group(2) == null ? 0 : "KMGTP".indexOf(matcher.group(2).toUpperCase(Locale.ROOT)) + 1;
        return Optional.of((long) (Double.parseDouble(matcher.group(1)) * Math.pow(1024, power)));
    }

    /** Bytes in the largest binary unit that leaves at least 1: {@code 16.0 GiB}. */
    public static String format(long bytes) {
        // each binary unit is 10 bits more: the highest set bit picks it
        int unit = bytes <= 0 ? 0 : Math.min((63 - Long.numberOfLeadingZeros(bytes)) / 10, BINARY_UNITS.length - 1);
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit), BINARY_UNITS[unit]);
    }
}
