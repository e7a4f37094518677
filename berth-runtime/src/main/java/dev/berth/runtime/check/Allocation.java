package dev.berth.runtime.check;

import java.util.Arrays;
import java.util.Map;

/**
 * What a container may use here: inside a SLURM job, what the job was given on this node
 * (SLURM sets the variables in every job step); otherwise the whole node.
 *
 * @param memoryBytes -1 when unknown
 * @param source      where the numbers come from, for messages: "this node" or "SLURM job 123"
 */
public record Allocation(long memoryBytes, int cores, int gpus, String source) {
    private static final long MIB = 1024 * 1024;

    public static Allocation of(HostFacts host) {
        Map<String, String> env = host.environment();
        String job = env.get("SLURM_JOB_ID");
        if (job == null || job.isBlank()) {
            return new Allocation(host.memoryBytes(), host.processors(), host.gpus(), "this node");
        }
        int cpusOnNode = number(env.get("SLURM_CPUS_ON_NODE"), host.processors());
        // a task runs on its own cpus when the job asked for --cpus-per-task; otherwise on the job's share of the node
        int cores = number(env.get("SLURM_CPUS_PER_TASK"), cpusOnNode);
        long memory = env.containsKey("SLURM_MEM_PER_NODE") ? number(env.get("SLURM_MEM_PER_NODE"), -1) * MIB
                : env.containsKey("SLURM_MEM_PER_CPU") ? number(env.get("SLURM_MEM_PER_CPU"), -1) * MIB * cpusOnNode
                : host.memoryBytes();
        int gpus = env.containsKey("SLURM_GPUS_ON_NODE") ? number(env.get("SLURM_GPUS_ON_NODE"), 0)
                : env.containsKey("CUDA_VISIBLE_DEVICES") ? visibleDevices(env.get("CUDA_VISIBLE_DEVICES"))
                : host.gpus();
        return new Allocation(memory < 0 ? -1 : memory, cores, gpus, "SLURM job " + job);
    }

    /** "0,1" and "GPU-uuid,GPU-uuid" name two devices; "" and "NoDevFiles" none. */
    private static int visibleDevices(String list) {
        return (int) Arrays.stream(list.split(",")).map(String::strip)
                .filter(device -> !device.isEmpty() && !device.equals("NoDevFiles")).count();
    }

    private static int number(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.strip());
        } catch (NumberFormatException notANumber) {
            return otherwise;
        }
    }
}
