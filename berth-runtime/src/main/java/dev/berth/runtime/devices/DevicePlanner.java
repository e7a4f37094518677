package dev.berth.runtime.devices;

import java.io.IOException;

/** Turns a run's device request into what the container gets, reading only what the request needs. */
public final class DevicePlanner {
    private DevicePlanner() {
    }

    public static InjectionPlan plan(DeviceRequest request, HostDevices host) throws IOException {
        InjectionPlan plan = InjectionPlan.NONE;
        if (request.nvidia() || request.rocm() || request.hostMpi()) {
            LdconfigCache libraries = LdconfigCache.query(host.ldconfig());
            if (request.hostMpi()) {
                plan = plan.plus(HostMpiInjection.plan(host, libraries));
            }
            if (request.nvidia()) {
                plan = plan.plus(DriverInjection.plan(DriverProfile.NVIDIA, host, libraries));
            }
            if (request.rocm()) {
                plan = plan.plus(DriverInjection.plan(DriverProfile.ROCM, host, libraries));
            }
        }
        if (!request.cdiDevices().isEmpty()) {
            plan = plan.plus(CdiInjection.plan(CdiRegistry.load(host.cdiSpecDirectories()).resolve(request.cdiDevices())));
        }
        return plan;
    }
}
