package dev.berth.runtime.devices;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.oci.BerthException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Container Device Interface spec (the format podman, containerd and nvidia-ctk share): a kind
 * of device, the edits every device of the kind needs, and each device's own edits. Only what
 * berth applies is modelled; other fields (annotations, device numbers, permissions) are ignored,
 * as each CDI version adds some.
 */
record CdiSpec(String cdiVersion, String kind, List<Device> devices, ContainerEdits containerEdits) {
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final ObjectMapper YAML = YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Device(String name, ContainerEdits containerEdits) {
        Device {
            containerEdits = containerEdits == null ? ContainerEdits.NONE : containerEdits;
        }
    }

    /** Environment as KEY=VALUE, device nodes, mounts and hooks; each list may be absent. */
    record ContainerEdits(List<String> env, List<DeviceNode> deviceNodes, List<Mount> mounts, List<Hook> hooks) {
        static final ContainerEdits NONE = new ContainerEdits(null, null, null, null);

        ContainerEdits {
            env = env == null ? List.of() : env;
            deviceNodes = deviceNodes == null ? List.of() : deviceNodes;
            mounts = mounts == null ? List.of() : mounts;
            hooks = hooks == null ? List.of() : hooks;
        }

        void check(Path file, String where) {
            for (String variable : env) {
                if (variable == null || variable.indexOf('=') <= 0) {
                    throw invalid(file, where + ": env entry \"" + variable + "\" is not KEY=VALUE");
                }
            }
            for (DeviceNode node : deviceNodes) {
                if (node == null || !isAbsolute(node.path()) || !isAbsolute(node.source())) {
                    throw invalid(file, where + ": a device node needs an absolute path (and hostPath, if given)");
                }
            }
            for (Mount mount : mounts) {
                if (mount == null || !isAbsolute(mount.hostPath()) || !isAbsolute(mount.containerPath())) {
                    throw invalid(file, where + ": a mount needs an absolute hostPath and containerPath");
                }
            }
            for (Hook hook : hooks) {
                if (hook == null || hook.path() == null || hook.path().isBlank()) {
                    throw invalid(file, where + ": a hook has no path");
                }
            }
        }

        private static boolean isAbsolute(String path) {
            return path != null && path.startsWith("/");
        }
    }

    /** {@code path} inside; {@code hostPath} on the host, the same path when absent. */
    record DeviceNode(String path, String hostPath) {
        String source() {
            return hostPath == null || hostPath.isEmpty() ? path : hostPath;
        }
    }

    record Mount(String hostPath, String containerPath, List<String> options, String type) {
        Mount {
            options = options == null ? List.of() : options;
        }
    }

    /** An OCI hook: {@code path} run with {@code args} (argv[0] first) at a stage of the container's creation. */
    record Hook(String path, List<String> args) {
        Hook {
            args = args == null ? List.of() : args;
        }
    }

    CdiSpec {
        devices = devices == null ? List.of() : devices;
        containerEdits = containerEdits == null ? ContainerEdits.NONE : containerEdits;
    }

    /** The spec in {@code file} (JSON for .json, else YAML), checked; one line naming the file if it is not a usable spec. */
    static CdiSpec read(Path file) throws IOException {
        boolean json = file.getFileName().toString().endsWith(".json");
        CdiSpec spec;
        try {
            spec = (json ? JSON : YAML).readValue(file.toFile(), CdiSpec.class);
        } catch (JacksonException e) {
            // databind also reports a syntax error it met while binding, as the cause
            boolean wellFormed = e instanceof JsonMappingException && !(e.getCause() instanceof StreamReadException);
            throw invalid(file, (wellFormed ? fieldPath((JsonMappingException) e) + " has the wrong type"
                    : "it is not valid " + (json ? "JSON" : "YAML")) + line(e));
        }
        if (spec == null) {
            throw invalid(file, "it is empty");
        }
        spec.check(file);
        return spec;
    }

    private void check(Path file) {
        if (cdiVersion == null || cdiVersion.isBlank()) {
            throw invalid(file, "cdiVersion is missing");
        }
        if (kind == null || !CdiDeviceName.KIND.matcher(kind).matches()) {
            throw invalid(file, "kind must be vendor.com/class, not " + (kind == null ? "missing" : "\"" + kind + "\""));
        }
        if (devices.isEmpty()) {
            throw invalid(file, "it defines no devices");
        }
        containerEdits.check(file, "containerEdits");
        for (Device device : devices) {
            if (device == null || device.name() == null || device.name().isBlank()) {
                throw invalid(file, "a device has no name");
            }
            if (!CdiDeviceName.NAME.matcher(device.name()).matches()) {
                throw invalid(file, "device name \"" + device.name() + "\" has characters CDI does not allow");
            }
            device.containerEdits().check(file, "device " + device.name());
        }
    }

    /** Where in the spec a value of the wrong type was met, e.g. {@code devices[0].containerEdits.env}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the spec" : path.toString();
    }

    private static String line(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    static BerthException invalid(Path file, String why) {
        return new BerthException("CDI_SPEC_INVALID", "CDI spec " + file + " cannot be used: " + why);
    }
}
