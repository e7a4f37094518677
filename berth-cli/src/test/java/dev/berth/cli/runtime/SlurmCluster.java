package dev.berth.cli.runtime;

import dev.berth.cli.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real SLURM cluster of one node on this host: munged, slurmctld and slurmd of Debian's
 * slurm-wlm, run as root (slurmd starts each job as its user) from a temporary directory that
 * holds everything: the configuration, the munge key and socket, state, spool, logs. Nothing
 * listens beyond 127.0.0.1, and the system's own munge or SLURM, if any, are not touched.
 * Client commands find the cluster through {@code SLURM_CONF}. Close it to cancel what still
 * runs, stop the daemons and remove the directory.
 */
final class SlurmCluster implements AutoCloseable {
    private static final List<String> DAEMONS = List.of("munged", "slurmctld", "slurmd", "slurmstepd");
    private static final List<String> CLIENTS = List.of("sinfo", "srun", "sbatch", "scancel", "squeue", "scontrol");
    private static final List<String> SEARCHED = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(20);
    private static final Pattern JOB_STATE = Pattern.compile("\\bJobState=(\\S+)");
    /** States of a job that has not ended (squeue's default list, and COMPLETING: processes are still being killed). */
    private static final Set<String> UNFINISHED = Set.of("PENDING", "CONFIGURING", "RUNNING", "SUSPENDED", "COMPLETING", "RESIZING",
            "REQUEUED");

    private final SlurmConf conf;
    /** In the order they were started. */
    private final List<Process> daemons = new ArrayList<>();
    /** Whether the node took jobs: only then can there be jobs to cancel. */
    private boolean up;

    private SlurmCluster(SlurmConf conf) {
        this.conf = conf;
    }

    /** Starts the cluster and waits until its node takes jobs; fails with what is missing when it cannot. */
    static SlurmCluster start() throws IOException {
        requireRootAndPrograms();
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "berth-slurm-");
        // users read the configuration and talk to the munge socket; munged refuses directories others can write to
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String child : List.of("munge", "state", "spool", "run", "log")) {
            Files.createDirectory(directory.resolve(child));
        }
        int[] ports = freePorts();
        // two tasks at least, so that the tests' two-rank jobs fit a one-CPU host too
        SlurmConf conf = new SlurmConf(directory, shortHostName(), ports[0], ports[1], Math.max(2, Runtime.getRuntime().availableProcessors()));
        Files.writeString(conf.file(), conf.text());
        SlurmCluster cluster = new SlurmCluster(conf);
        try {
            cluster.startMunge();
            cluster.startDaemon("slurmctld", "-D", "-f", conf.file().toString());
            cluster.startDaemon("slurmd", "-D", "-f", conf.file().toString(), "-N", conf.host());
            cluster.awaitIdleNode();
            cluster.up = true;
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static void requireRootAndPrograms() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("the SLURM tests start munged, slurmctld and slurmd, which must run as root: run them as root,"
                    + " as CI does (scripts/test)");
        }
        List<String> missing = Stream.concat(DAEMONS.stream(), CLIENTS.stream()).filter(name -> program(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError("the SLURM tests need " + String.join(", ", missing) + ", which are not installed (looked in "
                    + String.join(":", SEARCHED) + "): install Debian's packages slurm-wlm and munge (scripts/test does, as root)");
        }
    }

    private static Optional<Path> program(String name) {
        return SEARCHED.stream().map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
    }

    private static String shortHostName() {
        return Tools.ok(Path.of("/"), "hostname", "-s").stdout().strip();
    }

    /** Two ports free on 127.0.0.1 now, for slurmctld and slurmd. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }

    /** munged with a key of its own, readable by root only, as munged insists. */
    private void startMunge() throws IOException {
        Path munge = conf.mungeSocket().getParent();
        Path key = munge.resolve("munge.key");
        byte[] secret = new byte[128];
        new SecureRandom().nextBytes(secret);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, secret);
        startDaemon("munged", "--foreground", "--socket=" + conf.mungeSocket(), "--key-file=" + key,
                "--pid-file=" + munge.resolve("munged.pid"), "--log-file=" + munge.resolve("munged.log"),
                "--seed-file=" + munge.resolve("munged.seed"));
        if (!Waiting.until(START_LIMIT, () -> Files.exists(conf.mungeSocket()) || !daemons.getLast().isAlive())
                || !daemons.getLast().isAlive()) {
            throw new AssertionError("munged did not open " + conf.mungeSocket() + logs());
        }
    }

    private void startDaemon(String name, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(program(name).orElseThrow().toString()));
        command.addAll(List.of(arguments));
        Path output = conf.directory().resolve("log/" + name + ".out");
        daemons.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start());
    }

    private void awaitIdleNode() {
        boolean idle = Waiting.until(START_LIMIT, () -> daemons.stream().anyMatch(daemon -> !daemon.isAlive())
                || "idle".equals(client("sinfo", "--noheader", "--Node", "--format=%T").stdout().strip()));
        if (!idle || daemons.stream().anyMatch(daemon -> !daemon.isAlive())) {
            throw new AssertionError("the SLURM node did not become idle within " + START_LIMIT.toSeconds() + " s (sinfo: "
                    + client("sinfo", "--Node").stdout().strip() + ")" + logs());
        }
    }

    /** {@code SLURM_CONF=...}, for the shell of a user who submits jobs to this cluster. */
    String environment() {
        return "SLURM_CONF=" + conf.file();
    }

    /** Runs a client command (squeue, scontrol, ...) as root against this cluster. */
    Tools.Result client(String... command) {
        return Tools.run(Path.of("/"), Map.of("SLURM_CONF", conf.file().toString()), List.of(command));
    }

    /** The job's state as scontrol tells it: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, ... */
    String jobState(String jobId) {
        Matcher state = JOB_STATE.matcher(client("scontrol", "show", "job", jobId).stdout());
        return state.find() ? state.group(1) : "UNKNOWN";
    }

    /** The job's state once it has ended (COMPLETED, FAILED, CANCELLED, ...), or the one it is still in after {@code limit}. */
    String endState(String jobId, Duration limit) {
        Waiting.until(limit, () -> !UNFINISHED.contains(jobState(jobId)));
        return jobState(jobId);
    }

    /** The full text of scontrol's record of the job, for assertion messages. */
    String job(String jobId) {
        return client("scontrol", "show", "job", jobId).stdout();
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(conf.directory().resolve("log"))) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                text.append("\n--- ").append(file).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Cancels every job left, then stops the daemons (the last started first) and removes the directory. */
    @Override
    public void close() {
        try {
            if (up && daemons.stream().allMatch(Process::isAlive)) {
                cancelEveryJob();
            }
        } finally {
            for (Process daemon : daemons.reversed()) {
                stop(daemon);
            }
            Tools.ok(Path.of("/"), "rm", "-rf", conf.directory().toString());
        }
    }

    /** slurmd leaves the steps it started running when it stops: they are cancelled first. */
    private void cancelEveryJob() {
        List<String> jobs = client("squeue", "--noheader", "--format=%i").stdout().lines().map(String::strip).toList();
        if (jobs.isEmpty()) {
            return;
        }
        List<String> scancel = new ArrayList<>(List.of("scancel", "--quiet"));
        scancel.addAll(jobs);
        client(scancel.toArray(String[]::new));
        if (!Waiting.until(STOP_LIMIT, () -> client("squeue", "--noheader").stdout().isBlank())) {
            throw new AssertionError("jobs still in the queue " + STOP_LIMIT.toSeconds() + " s after scancel:\n"
                    + client("squeue").stdout());
        }
    }

    private static void stop(Process daemon) {
        daemon.destroy();
        try {
            if (!daemon.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        }
    }
}
