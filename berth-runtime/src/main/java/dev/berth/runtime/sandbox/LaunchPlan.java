package dev.berth.runtime.sandbox;

import dev.berth.oci.PrivateDirectory;
import dev.berth.runtime.integrity.TreeSeal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How bin/berth starts the same run again without a JVM (docs/hpc.md#starting-without-a-jvm):
 * everything a handed-over run did that does not change from one start to the next. The
 * launcher keys a plan on the command line, the working directory, the caller's groups and
 * every host variable except those it passes through itself (the prefixes of
 * {@link Request#passedThrough}, such as SLURM_*, whose values differ from task to task and which
 * a run only copies into the container). It starts from a plan only while the plan is newer than
 * berth's jars, the JDK and every watched file (the store's names, the configurations, the
 * user database; a file absent then must still be absent) and the image's tree still matches
 * its seal; otherwise the JVM runs and writes the plan again.
 *
 * <p>The file holds NUL-terminated fields, read by bash with {@code mapfile -d ''}; lists are a
 * count followed by the items:
 * the format's name; the run directory the plan was made in (its path is replaced by the new
 * run's wherever it occurs); the watched files, each a path and {@code present} (unchanged since),
 * {@code absent} (still absent) or {@code exists} (still there: bound directories, whose content may change);
 * the tree's seal check (the listing command, and the seal it must digest to: the SHA-256 of its
 * output, '-', its exit code); the cache entries to hold while the run lives; the run
 * directory's files, as name and content; {@code pass} or {@code drop} for the host's passed-through
 * variables, and the names of those the plan sets itself; bwrap's arguments, which the launcher
 * writes into the new run directory and opens on descriptor 3; the command that starts the sandbox.
 */
public final class LaunchPlan {
    static final String FORMAT = "berth-launch-plan-2";
    private static final String ARGUMENTS_FILE = "bwrap.args";

    /**
     * The launcher's request for a plan.
     *
     * @param file          where to write it
     * @param inputsSince   the plan's time: from before this berth read any input, so that a
     *                      watched file changed while it ran makes the plan stale
     * @param watched       the files the run's outcome depends on
     * @param passedThrough prefixes of the host variables the launcher passes through itself
     */
    public record Request(Path file, Instant inputsSince, List<Path> watched, List<String> passedThrough) {
        public Request {
            watched = List.copyOf(watched);
            passedThrough = List.copyOf(passedThrough);
        }
    }

    /**
     * The run to repeat.
     *
     * @param runDirectory      the run's directory, holding the files the sandbox reads (user database, record)
     * @param heldEntries       cache entries the run holds
     * @param tree              the extracted image tree
     * @param seal              the seal of {@code tree}
     * @param bwrapOptions      bwrap's options
     * @param environment       the container's environment
     * @param host              the host's environment the run was made from
     * @param cleanEnvironment  whether host variables stay outside (--cleanenv)
     * @param start             the command that starts the sandbox, reading bwrap's arguments from descriptor 3
     * @param owner             the caller's uid: the plan's directory must be theirs alone
     * @param boundSources      what the run binds into the container: each must still exist, whatever changed inside
     */
    public record Run(Path runDirectory, List<Path> heldEntries, Path tree, Path seal, List<String> bwrapOptions,
                      Map<String, String> environment, Map<String, String> host, boolean cleanEnvironment, List<String> start,
                      long owner, List<Path> boundSources) {
    }

    private LaunchPlan() {
    }

    /** Writes the plan, or nothing when the run cannot be repeated from one (no seal); a plan is never needed to run. */
    public static void write(Request request, Run run) throws IOException {
        Optional<String> seal = TreeSeal.recorded(run.seal());
        if (seal.isEmpty()) {
            return;
        }
        Map<String, String> planned = new LinkedHashMap<>();
        List<String> setByThePlan = new ArrayList<>();
        run.environment().forEach((name, value) -> {
            boolean passedThrough = request.passedThrough().stream().anyMatch(name::startsWith);
            if (passedThrough && value.equals(run.host().get(name))) {
                return;
            }
            planned.put(name, value);
            if (passedThrough) {
                setByThePlan.add(name);
            }
        });
        List<String> fields = new ArrayList<>(List.of(FORMAT, run.runDirectory().toString()));
        fields.add(Integer.toString(request.watched().size() + run.boundSources().size()));
        for (Path watched : request.watched()) {
            fields.addAll(List.of(watched.toString(), Files.exists(watched, LinkOption.NOFOLLOW_LINKS) ? "present" : "absent"));
        }
        for (Path source : run.boundSources()) {
            fields.addAll(List.of(source.toString(), "exists"));
        }
        list(fields, TreeSeal.listingCommand(run.tree()));
        fields.add(seal.get());
        list(fields, run.heldEntries().stream().map(Path::toString).toList());
        List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(run.runDirectory(),
                file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !file.getFileName().toString().startsWith(ARGUMENTS_FILE))) {
            for (Path file : listing) {
                files.addAll(List.of(file.getFileName().toString(), Files.readString(file)));
            }
        }
        fields.add(Integer.toString(files.size() / 2));
        fields.addAll(files);
        fields.add(run.cleanEnvironment() ? "drop" : "pass");
        list(fields, setByThePlan);
        list(fields, Launcher.sandboxArguments(run.bwrapOptions(), planned, Launcher.Start.PLAIN));
        list(fields, run.start());
        writeAtomically(request, run.owner(), Launcher.nulSeparated(fields));
    }

    private static void list(List<String> fields, List<String> items) {
        fields.add(Integer.toString(items.size()));
        fields.addAll(items);
    }

    /** Private (it holds the container's environment), dated {@link Request#inputsSince}, and renamed into place whole. */
    private static void writeAtomically(Request request, long owner, byte[] content) throws IOException {
        Path directory = PrivateDirectory.create(request.file().toAbsolutePath().getParent(), owner);
        Path temporary = directory.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, content);
            Files.setLastModifiedTime(temporary, FileTime.from(request.inputsSince()));
            Files.move(temporary, request.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
