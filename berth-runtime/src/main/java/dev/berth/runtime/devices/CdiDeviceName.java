package dev.berth.runtime.devices;

import dev.berth.oci.BerthException;

import java.util.regex.Pattern;

/**
 * A fully qualified CDI device name, {@code vendor.com/class=name}; {@code kind} is
 * {@code vendor.com/class}. The name {@code all} stands for every device of the kind unless a
 * spec defines a device of that name (nvidia-ctk does).
 */
public record CdiDeviceName(String kind, String name) {
    static final Pattern KIND = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?/[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?");
    private static final String ALL = "all";

    public static CdiDeviceName parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0 || !KIND.matcher(text.substring(0, equals)).matches() || !NAME.matcher(text.substring(equals + 1)).matches()) {
            throw new BerthException("CDI_DEVICE_NAME_INVALID", "\"" + text
                    + "\" is not a CDI device name: expected vendor.com/class=name, e.g. nvidia.com/gpu=0 or nvidia.com/gpu=all");
        }
        return new CdiDeviceName(text.substring(0, equals), text.substring(equals + 1));
    }

    boolean isAll() {
        return name.equals(ALL);
    }

    @Override
    public String toString() {
        return kind + "=" + name;
    }
}
