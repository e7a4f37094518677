package dev.berth.runtime.devices;

import java.util.List;

/**
 * What {@code --nv} and {@code --rocm} take from the host: the one place that lists the device
 * nodes, driver libraries and programs a GPU vendor's user space needs (docs/hpc.md shows the lists).
 *
 * @param flag               the option that asks for it, for messages
 * @param vendor             the driver's name, for messages
 * @param deviceNamePrefixes entries of /dev whose names start with one of these
 * @param libraries          library names without ".so", looked up in the host's ldconfig cache; the first is the
 *                           driver's own, whose absence means there is no driver
 * @param programs           looked up on the host's PATH
 * @param deviceSelection    variables that choose among the devices (set by SLURM, for example): passed through when the host has them
 */
public record DriverProfile(String flag, String vendor, List<String> deviceNamePrefixes, List<String> libraries,
                            List<String> programs, List<String> deviceSelection) {
    /** The driver's compute, video, graphics and management libraries, as Apptainer's nvliblist.conf lists them. */
    public static final DriverProfile NVIDIA = new DriverProfile("--nv", "NVIDIA",
            // nvidia0..N, nvidiactl, nvidia-uvm, nvidia-uvm-tools, nvidia-modeset, nvidia-caps/, nvidia-nvswitch*
            List.of("nvidia"),
            List.of("libcuda", "libcudadebugger", "libnvidia-ml", "libnvidia-ptxjitcompiler", "libnvidia-fatbinaryloader",
                    "libnvidia-opencl", "libnvidia-compiler", "libnvidia-nvvm", "libnvidia-gpucomp", "libnvidia-allocator",
                    "libnvidia-cfg", "libnvidia-ngx", "libnvidia-encode", "libnvidia-opticalflow", "libnvcuvid",
                    "libnvidia-eglcore", "libnvidia-glcore", "libnvidia-glsi", "libnvidia-glvkspirv", "libnvidia-tls",
                    "libnvidia-rtcore", "libnvoptix", "libnvidia-fbc", "libnvidia-ifr", "libnvidia-cbl",
                    "libEGL_nvidia", "libGLX_nvidia", "libGLESv1_CM_nvidia", "libGLESv2_nvidia", "libvdpau_nvidia"),
            List.of("nvidia-smi", "nvidia-debugdump", "nvidia-persistenced", "nvidia-cuda-mps-control", "nvidia-cuda-mps-server"),
            List.of("NVIDIA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER"));

    /** The ROCm runtime (HIP, HSA, the kernel driver's thunk, code-object manager, SMI) and the DRM libraries it needs. */
    public static final DriverProfile ROCM = new DriverProfile("--rocm", "ROCm",
            List.of("kfd", "dri"),
            List.of("libhsa-runtime64", "libamdhip64", "libhsakmt", "libamd_comgr", "librocm-core", "librocm_smi64",
                    "librocprofiler-register", "libhiprtc", "libamdocl64", "libdrm_amdgpu", "libdrm"),
            List.of("rocm-smi", "rocminfo"),
            List.of("ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL"));

    public DriverProfile {
        deviceNamePrefixes = List.copyOf(deviceNamePrefixes);
        libraries = List.copyOf(libraries);
        programs = List.copyOf(programs);
        deviceSelection = List.copyOf(deviceSelection);
    }
}
