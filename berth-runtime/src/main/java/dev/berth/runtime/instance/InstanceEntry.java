package dev.berth.runtime.instance;

import dev.berth.oci.BerthException;
import dev.berth.runtime.Tools;
import dev.berth.runtime.sandbox.CommandLookup;
import dev.berth.runtime.sandbox.ContainerPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command run inside a running instance, as Apptainer's {@code exec instance://NAME}: it joins
 * the user, mount and PID namespaces of the instance's container with {@code nsenter} (the
 * caller owns those namespaces, so no privilege is needed), sees the instance's root, processes
 * and mounts, and starts with the environment of the instance's command, over which the run's
 * own variables ({@code --env}) are set; a program it does not have is refused as exec refuses
 * one an image lacks (exit 127, one line). It runs in the caller's process group, so a terminal's
 * Ctrl-C reaches it; ending berth does not end it, as with {@code docker exec}.
 */
public final class InstanceEntry {
    /** How an instance is named where an image would be: {@code berth exec instance://NAME CMD}. */
    public static final String SCHEME = "instance://";
    private static final int MAX_ENVIRONMENT_BYTES = 4 << 20;

    private InstanceEntry() {
    }

    /** The name in {@code instance://NAME}; empty when {@code reference} names an image. */
    public static Optional<String> instanceName(String reference) {
        return reference.startsWith(SCHEME) ? Optional.of(Instances.requireName(reference.substring(SCHEME.length())))
                : Optional.empty();
    }

    /**
     * Runs {@code command} in {@code instance}, in {@code workingDirectory} (else the instance
     * command's own), and returns its exit code.
     */
    public static int exec(Instances.Instance instance, List<String> command, Map<String, String> variables,
                           Optional<Path> workingDirectory) throws IOException, InterruptedException {
        ProcessHandle container = containerProcess(instance).orElseThrow(() -> new BerthException("INSTANCE_NOT_RUNNING",
                "instance " + instance.name() + " has no container running now (it is starting or ending; see berth instance list)"));
        List<String> nsenter = new ArrayList<>(List.of(Tools.NSENTER.require(), "--target", Long.toString(container.pid()),
                "--user", "--mount", "--pid", "--preserve-credentials", "--root",
                // nsenter opens a named directory before it enters: reach the container's through its root
                workingDirectory.map(dir -> "--wd=/proc/" + container.pid() + "/root" + dir).orElse("--wd"), "--"));
        nsenter.addAll(command);
        Map<String, String> environment = new LinkedHashMap<>(environmentOf(container));
        environment.putAll(variables);
        // the instance's root, mounts included, as the kernel shows it to its owner: a missing program gets berth's one line
        Path root = Path.of("/proc", Long.toString(container.pid()), "root");
        String cwd = workingDirectory.map(Path::toString).orElseGet(() -> workingDirectoryOf(container));
        CommandLookup.check(ContainerPaths.ofImage(root), command.getFirst(), environment.get("PATH"), cwd, SCHEME + instance.name());
        ProcessBuilder builder = new ProcessBuilder(nsenter).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start().waitFor();
    }

    /**
     * The instance's command: the first process of its container (bwrap's init, the first
     * descendant of the instance's berth in another user namespace) has it as its oldest child.
     */
    static Optional<ProcessHandle> containerProcess(Instances.Instance instance) {
        Optional<String> ours = userNamespace(ProcessHandle.current().pid());
        Optional<ProcessHandle> berth = ProcessHandle.of(instance.pid());
        if (ours.isEmpty() || berth.isEmpty()) {
            return Optional.empty();
        }
        for (ProcessHandle process : berth.get().descendants().toList()) {
            Optional<String> namespace = userNamespace(process.pid());
            Optional<String> parents = process.parent().flatMap(parent -> userNamespace(parent.pid()));
            if (namespace.isPresent() && !namespace.equals(ours) && parents.equals(ours)) {
                return Optional.of(process.children().min(Comparator.comparingLong(ProcessHandle::pid)).orElse(process));
            }
        }
        return Optional.empty();
    }

    /** The user namespace of process {@code pid}; empty when the process is gone or not the caller's to look into. */
    private static Optional<String> userNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "user")).toString());
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** The process's working directory inside the container: where a relative program name starts. */
    private static String workingDirectoryOf(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toString();
        } catch (IOException gone) {
            return "/";
        }
    }

    /** /proc/PID/environ: NUL-terminated KEY=VALUE entries, readable by the process's owner. */
    private static Map<String, String> environmentOf(ProcessHandle process) throws IOException {
        byte[] bytes;
        try (var in = Files.newInputStream(Path.of("/proc", Long.toString(process.pid()), "environ"))) {
            bytes = in.readNBytes(MAX_ENVIRONMENT_BYTES);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }
}
