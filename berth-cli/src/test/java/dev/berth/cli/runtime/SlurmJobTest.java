package dev.berth.cli.runtime;

import dev.berth.cli.Tools;
import dev.berth.cli.UmociImages;
import dev.berth.distribution.testing.Programs;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berth in SLURM jobs, on a real cluster of one node, as a researcher's job uses it: each task
 * of {@code srun} runs in the container with SLURM's variables, the container's exit code is the
 * step's and fails the job, a batch job's output lands in the file SLURM names, a cancelled job
 * leaves nothing running, and an image pre-staged on the login node is prepared once per node
 * and job, with no registry.
 */
class SlurmJobTest {
    private static final String IMAGE = "slurm-app:1";
    /** Bounds every srun and sbatch --wait; each job here takes seconds. */
    private static final String LIMIT = "timeout 60 ";
    private static final Duration JOB_LIMIT = Duration.ofSeconds(60);
    /** Big enough that preparing the image takes long enough for the ranks of a job to meet there. */
    private static final long STAGED_LAYER_BYTES = 32L << 20;

    private static SlurmCluster cluster;
    private static UnprivilegedUser user;
    private static Path scratch;
    /** What the user's shell exports: the cluster, and berth's store and cache in the workspace (other classes reset the defaults). */
    private static String environment;

    @BeforeAll
    static void startTheClusterAndImportTheImage() throws Exception {
        cluster = SlurmCluster.start();
        user = UnprivilegedUser.create();
        scratch = user.scratch();
        environment = "export " + cluster.environment() + " BERTH_DATA_DIR=" + newDirectory("data") + " BERTH_CACHE_DIR="
                + newDirectory("cache") + "; ";
        Path layout = UmociImages.busybox(user.workspace().resolve("layout"), "1", 0);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", layout.toString());
        ok("berth import " + layout + " --name " + IMAGE);
    }

    @AfterAll
    static void stopTheCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (user != null) {
                user.close();
            }
        }
    }

    @Test
    void everyTaskRunsInTheContainerWithSlurmsAndPmisVariables() {
        Tools.Result step = ok(LIMIT + "srun --ntasks=2 --mpi=pmi2 berth exec " + IMAGE
                + " sh -c 'echo rank $SLURM_PROCID of $SLURM_NTASKS, PMI rank $PMI_RANK of $PMI_SIZE'");
        assertThat(step.stdout().lines().sorted()).containsExactly("rank 0 of 2, PMI rank 0 of 2", "rank 1 of 2, PMI rank 1 of 2");
    }

    /** PMI-2's socket to slurmstepd (PMI_FD) reaches the container, and the handshake an MPI library starts with gets its answer. */
    @Test
    void aTaskInTheContainerTalksPmi2WithSlurm() {
        Tools.Result step = ok(LIMIT + "srun --ntasks=1 --mpi=pmi2 berth exec " + IMAGE
                + " sh -c 'printf \"cmd=init pmi_version=2 pmi_subversion=0\\n\" >&$PMI_FD && read -r reply <&$PMI_FD && echo \"$reply\"'");
        assertThat(step.stdout()).startsWith("cmd=response_to_init").contains("rc=0");
    }

    @Test
    void theContainersExitCodeIsTheStepsAndFailsTheJob() throws IOException {
        Tools.Result step = as(LIMIT + "srun --ntasks=1 berth exec " + IMAGE + " sh -c 'exit 7'");
        assertThat(step.exitCode()).as(step.stderr()).isEqualTo(7);
        assertThat(step.stderr()).contains("Exited with exit code 7");

        writeJobScript("fails.sh", "srun berth exec " + IMAGE + " sh -c 'echo step ran; exit 3'");
        Tools.Result job = as(LIMIT + "sbatch --wait --parsable --output=fails-%j.out fails.sh");
        String id = jobId(job);
        assertThat(job.exitCode()).as(cluster.job(id)).isEqualTo(3);
        assertThat(cluster.jobState(id)).isEqualTo("FAILED");
        assertThat(cluster.job(id)).contains("ExitCode=3:0");
        assertThat(scratch.resolve("fails-" + id + ".out")).content().startsWith("step ran\n");
    }

    @Test
    void aBatchJobsOutputGoesToTheFileSlurmNames() throws IOException {
        writeJobScript("hello.sh", "#SBATCH --ntasks=2\nsrun berth exec " + IMAGE + " sh -c 'echo task $SLURM_PROCID of job $SLURM_JOB_ID'");
        String id = jobId(ok("sbatch --parsable hello.sh"));
        assertThat(cluster.endState(id, JOB_LIMIT)).as(cluster.job(id)).isEqualTo("COMPLETED");
        assertThat(Files.readAllLines(scratch.resolve("slurm-" + id + ".out")).stream().sorted())
                .containsExactly("task 0 of job " + id, "task 1 of job " + id);
    }

    /**
     * A program's own handlers of the job's signals run: SLURM signals every process of the step,
     * bwrap's too, and the container lives on to handle them (JobSignals). A USR1 (as
     * {@code --signal} sends before the time limit, to save state) leaves the job running; at
     * scancel the TERM handler runs, then the container's processes end and nothing of berth's is left.
     */
    @Test
    void aJobsSignalsReachTheProgramsHandlersAndACancelledJobLeavesNothingRunning() throws IOException {
        writeJobScript("long.sh", "srun berth exec " + IMAGE + " sh -c 'trap \"echo got-usr1\" USR1; trap \"echo got-term; exit 0\" TERM;"
                + " echo started; while :; do sleep 271 & wait; done'");
        String id = jobId(ok("sbatch --parsable --output=long-%j.out long.sh"));
        Path output = scratch.resolve("long-" + id + ".out");
        assertThat(Waiting.until(JOB_LIMIT, () -> read(output).contains("started"))).as("the job's step started: " + read(output)).isTrue();
        assertThat(leftovers()).as("the container's processes while the job runs").anyMatch(process -> process.endsWith(" sleep 271"));

        ok("scancel --signal=USR1 " + id);
        assertThat(Waiting.until(Duration.ofSeconds(20), () -> read(output).contains("got-usr1"))).as(read(output)).isTrue();
        assertThat(cluster.job(id)).as("the job after USR1").contains("JobState=RUNNING");

        ok("scancel " + id);
        assertThat(cluster.endState(id, JOB_LIMIT)).as(cluster.job(id)).isEqualTo("CANCELLED");
        assertThat(Waiting.until(Duration.ofSeconds(20), () -> leftovers().isEmpty())).as("left running: " + leftovers()).isTrue();
        assertThat(read(output)).as("the program's TERM handler ran").contains("got-term");
    }

    /**
     * The recipe of docs/hpc.md: the image is pulled on the login node, and the job's tasks find
     * it in the store. With the registry gone by then, nothing in the job can download; the
     * node's cache, empty at the job's start, gets one converted image and one extracted tree,
     * which both tasks run from.
     */
    @Test
    void aPrestagedImageIsPreparedOncePerNodeAndJobWithoutTheRegistry() throws Exception {
        Path layout = UmociImages.busybox(user.workspace().resolve("staged"), "1", STAGED_LAYER_BYTES);
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", layout.toString());
        String reference;
        try (RegistryServer registry = RegistryServer.start(RegistryConfig.defaults(user.workspace().resolve("registry"))
                .withListen("127.0.0.1", 0).withAccessLog(false))) {
            reference = "127.0.0.1:" + registry.port() + "/lab/staged:1";
            Programs.skopeoCopy("oci:" + layout + ":1", "docker://" + reference);
            ok("berth pull " + reference);
        }
        String nodeCache = newDirectory("node-cache");
        ok("mkdir -m 700 " + nodeCache + "/sandboxes");
        Tools.Result job;
        List<String> created;
        try (CreatedNames inSandboxes = CreatedNames.in(Path.of(nodeCache, "sandboxes"))) {
            job = ok("BERTH_CACHE_DIR=" + nodeCache + " " + LIMIT + "srun --ntasks=2 berth exec " + reference
                    + " sh -c 'echo $SLURM_PROCID $(busybox stat -c %i /bin/busybox)'");
            created = inSandboxes.names();
        }
        List<String> trees = ok("ls " + nodeCache + "/sandboxes").stdout().lines().filter(name -> name.matches("chain-sha256-[0-9a-f]{64}\\.v\\d+"))
                .toList();
        assertThat(trees).as("prepared trees").hasSize(1);
        assertThat(created).as("extractions (their scratch directories)").filteredOn(name -> name.matches("\\.tmp-chain-sha256-.*-[0-9a-f]{32}"))
                .hasSize(1);
        assertThat(ok("ls " + nodeCache + "/images").stdout().lines().filter(name -> name.endsWith(".sqfs"))).as("converted images")
                .hasSize(1);
        String inode = ok("stat -c %i " + nodeCache + "/sandboxes/" + trees.getFirst() + "/root/bin/busybox").stdout().strip();
        assertThat(job.stdout().lines().sorted()).as("each task's /bin/busybox").containsExactly("0 " + inode, "1 " + inode);
    }

    /** The user's processes that a job of this class could have left: bwrap, berth's launcher or JVM, the container's sleep. */
    private static List<String> leftovers() {
        return Tools.ok(user.workspace(), "ps", "-u", user.uid(), "-o", "pid=,args=").stdout().lines().map(String::strip)
                .filter(process -> process.contains("bwrap") || process.contains("/bin/berth ") || process.contains("dev.berth.cli.Main")
                        || process.endsWith(" sleep 271"))
                .toList();
    }

    private static void writeJobScript(String name, String body) throws IOException {
        Path script = scratch.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Tools.ok(user.workspace(), "chmod", "a+rx", script.toString());
    }

    /** The job id that {@code sbatch --parsable} printed ({@code ID} or {@code ID;CLUSTER}). */
    private static String jobId(Tools.Result sbatch) {
        String id = sbatch.stdout().strip().split(";")[0];
        assertThat(id).as("sbatch's output: " + sbatch.stdout() + sbatch.stderr()).matches("\\d+");
        return id;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String newDirectory(String name) {
        return user.sh(scratch.toString(), "d=$(mktemp -d -p " + scratch + " --suffix=-" + name + ") && chmod 755 $d && echo $d")
                .assertSuccess("mktemp").stdout().strip();
    }

    /** Runs a command line as the user in the scratch directory, the submit directory of every job. */
    private static Tools.Result as(String commandLine) {
        return user.sh(scratch.toString(), environment + commandLine);
    }

    private static Tools.Result ok(String commandLine) {
        return as(commandLine).assertSuccess(commandLine);
    }
}
