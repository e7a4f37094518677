package dev.berth.runtime.devices;

import java.util.List;

/**
 * What a run asked to take from the host: the devices of {@code --nv}, {@code --rocm} and the
 * CDI names of {@code --device}, and the host's MPI ({@code --mpi host}), which comes in the
 * same way as a GPU driver's user space: host libraries bound in and put on LD_LIBRARY_PATH.
 */
public record DeviceRequest(boolean nvidia, boolean rocm, List<CdiDeviceName> cdiDevices, boolean hostMpi) {
    public static final DeviceRequest NONE = new DeviceRequest(false, false, List.of(), false);

    public DeviceRequest {
        cdiDevices = List.copyOf(cdiDevices);
    }
}
