package dev.berth.cli.runtime;

import dev.berth.cli.DebianImages;
import dev.berth.cli.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MPI in both of Apptainer's models: the host's Open MPI (Debian's mpirun) starts ranks that are
 * berth containers of a Debian image with the same Open MPI (hybrid), or of a Debian image
 * without any MPI that gets the host's with {@code --mpi host} (bind). The programs
 * (berth-cli/src/test/resources/mpi) are built on the host with mpicc and copied into the images.
 */
class MpiJobTest {
    private static final String IMAGE = "mpi:1";
    /** Debian and the programs, no MPI. */
    private static final String BARE_IMAGE = "mpi-bare:1";
    /** Only self and vader (shared memory): a run that could not share memory between the ranks' containers fails. */
    private static final String MPIRUN = "timeout 120 mpirun -np 2 --oversubscribe --mca btl self,vader ";
    private static UnprivilegedUser user;
    private static String home;

    @BeforeAll
    static void buildTheImage() throws Exception {
        user = UnprivilegedUser.create();
        home = user.home();
        Path context = Files.createDirectories(user.workspace().resolve("mpi-context"));
        for (String program : List.of("hello", "pingpong")) {
            Path source = Path.of("src/test/resources/mpi", program + ".c").toAbsolutePath();
            Tools.ok(context, "mpicc", "-O2", "-o", context.resolve("mpi-" + program).toString(), source.toString());
        }
        Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                "FROM debian:12",
                "RUN apt-get update && apt-get install -y --no-install-recommends openmpi-bin libopenmpi3 && rm -rf /var/lib/apt/lists/*",
                "COPY mpi-hello mpi-pingpong /usr/local/bin/", ""));
        Path bare = Files.createDirectories(user.workspace().resolve("bare-context"));
        Files.copy(context.resolve("mpi-hello"), bare.resolve("mpi-hello"));
        Files.writeString(bare.resolve("Dockerfile"), "FROM debian:12\nCOPY mpi-hello /usr/local/bin/\n");
        Tools.ok(user.workspace(), "chmod", "-R", "a+rX", user.workspace().toString());
        Path debian = DebianImages.bookwormMinbase();
        ok("berth copy oci:" + debian + ":" + DebianImages.TAG + " berth:debian:12 && berth build -t " + IMAGE + " " + context
                + " && berth build -t " + BARE_IMAGE + " " + bare);
    }

    @AfterAll
    static void removeWorkspace() {
        user.close();
    }

    private static Tools.Result ok(String commandLine) {
        return user.sh(home, commandLine).assertSuccess(commandLine);
    }

    @Test
    void everyRankRunsInItsContainerAndTheyReduceOverSharedMemory() {
        Tools.Result job = ok(MPIRUN + "berth exec " + IMAGE + " mpi-hello");
        assertThat(job.stdout().lines().sorted()).containsExactly("rank 0 of 2, allreduce sum 3", "rank 1 of 2, allreduce sum 3");
    }

    /** Open MPI 4.1 hangs on large messages between ranks of different user namespaces unless single copy is off (berth's default). */
    @Test
    void largeMessagesPassBetweenRanksWithBerthsDefaults() {
        Tools.Result job = user.sh(home, MPIRUN + "berth exec " + IMAGE + " mpi-pingpong 100");
        assertThat(job.exitCode()).as("mpirun's exit code (124: timed out); stderr: " + job.stderr()).isZero();
        assertThat(job.stdout()).containsPattern("latency_us \\d+\\.\\d+\n").containsPattern("bandwidth_MBps \\d+\\.\\d+\n");
    }

    /**
     * With --sharens the ranks of a node join one user namespace, so Open MPI's single copy (CMA,
     * forced on here) passes large messages between them; without it each rank has its own.
     */
    @Test
    void ranksThatShareANamespaceUseSingleCopy() {
        // each rank lives a while: a rank that starts once every earlier one has ended makes a namespace of its own
        String namespaces = MPIRUN + "berth exec FLAGS " + IMAGE + " sh -c 'readlink /proc/self/ns/user; sleep 3'";
        assertThat(ok(namespaces.replace("FLAGS", "")).stdout().lines().distinct()).as("each rank's own namespace").hasSize(2);
        assertThat(ok(namespaces.replace("FLAGS", "--sharens")).stdout().lines().distinct()).as("one namespace for the ranks")
                .hasSize(1);

        Tools.Result job = user.sh(home, MPIRUN + "--mca btl_vader_single_copy_mechanism cma berth exec --sharens " + IMAGE
                + " mpi-pingpong 100");
        assertThat(job.exitCode()).as("mpirun's exit code (124: timed out); stderr: " + job.stderr()).isZero();
        assertThat(job.stderr()).doesNotContain("CMA is not available");
        assertThat(job.stdout()).containsPattern("bandwidth_MBps \\d+\\.\\d+\n");
    }

    @Test
    void sharingANamespaceExcludesAFakeRootAndAPrivateDev() {
        Tools.Result fakeroot = user.sh(home, "berth exec --sharens --fakeroot " + IMAGE + " true");
        assertThat(fakeroot.exitCode()).isNotZero();
        assertThat(fakeroot.stderr()).isEqualTo("berth: --sharens cannot be combined with --fakeroot: the containers of a shared"
                + " namespace all run as you, with the host's /dev\n");
        assertThat(user.sh(home, "berth exec --sharens --contain " + IMAGE + " true").stderr()).contains("--sharens cannot be combined with --contain");
    }

    @Test
    void withMpiHostAnImageWithoutMpiRunsItsRanksOnTheHostsLibraries() {
        Tools.Result alone = user.sh(home, "berth exec " + BARE_IMAGE + " mpi-hello");
        assertThat(alone.exitCode()).as("the image has no MPI of its own").isEqualTo(127);
        assertThat(alone.stderr()).contains("libmpi.so.40: cannot open shared object file");

        Tools.Result job = ok(MPIRUN + "berth exec --mpi host " + BARE_IMAGE + " mpi-hello");
        assertThat(job.stdout().lines().sorted()).containsExactly("rank 0 of 2, allreduce sum 3", "rank 1 of 2, allreduce sum 3");
    }

    @Test
    void mpiTakesOnlyItsTwoModels() {
        Tools.Result wrong = user.sh(home, "berth exec --mpi bind " + BARE_IMAGE + " true");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.stderr()).contains("--mpi takes host or image, not bind");
    }
}
