package dev.berth.runtime.devices;

import java.util.List;

/**
 * The devices a run asked for: {@code --nv}, {@code --rocm} and the CDI names of {@code --device}.
 */
public record DeviceRequest(boolean nvidia, boolean rocm, List<CdiDeviceName> cdiDevices) {
    public static final DeviceRequest NONE = new DeviceRequest(false, false, List.of());

    public DeviceRequest {
        cdiDevices = List.copyOf(cdiDevices);
    }
}
