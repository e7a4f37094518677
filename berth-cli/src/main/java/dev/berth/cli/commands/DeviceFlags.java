package dev.berth.cli.commands;

import dev.berth.cli.args.Syntax;
import dev.berth.cli.args.UsageException;
import dev.berth.oci.BerthException;
import dev.berth.runtime.devices.CdiDeviceName;
import dev.berth.runtime.devices.DeviceRequest;
import dev.berth.runtime.devices.HostDevices;

import java.util.ArrayList;
import java.util.List;

/** The options of run, exec and shell that give the container GPUs, other devices and the host's MPI (docs/hpc.md). */
final class DeviceFlags {
    private final List<String> cdiDevices = new ArrayList<>();
    private boolean nvidia;
    private boolean rocm;
    private boolean hostMpi;

    void declare(Syntax syntax) {
        syntax.flag("--nv", "Give the container the host's NVIDIA GPUs: /dev/nvidia*, the driver's libraries and nvidia-smi.",
                        () -> nvidia = true)
                .flag("--rocm", "Give the container the host's AMD GPUs: /dev/kfd, /dev/dri and the ROCm libraries.", () -> rocm = true)
                .option("--device", "VENDOR/CLASS=NAME", "Inject a CDI device from the specs in /etc/cdi and /var/run/cdi "
                        + "(or $" + HostDevices.CDI_SPEC_DIRS_VARIABLE + "), e.g. nvidia.com/gpu=all (repeatable).", cdiDevices::add)
                .option("--mpi", "host|image", "Whose MPI the ranks use: image (the default: the image's own, started by the "
                        + "host's mpirun or srun) or host (the host's libmpi and what it needs, bound in over the image's; "
                        + "the image's must have the same ABI).", this::mpi);
    }

    DeviceRequest toRequest() {
        List<CdiDeviceName> names = new ArrayList<>();
        for (String device : cdiDevices) {
            try {
                names.add(CdiDeviceName.parse(device));
            } catch (BerthException e) {
                throw new UsageException("--device: " + e.getMessage());
            }
        }
        return new DeviceRequest(nvidia, rocm, names, hostMpi);
    }

    private void mpi(String model) {
        hostMpi = switch (model) {
            case "host" -> true;
            case "image" -> false;
            default -> throw new UsageException("--mpi takes host or image, not " + model);
        };
    }
}
