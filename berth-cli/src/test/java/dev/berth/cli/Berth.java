package dev.berth.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs berth commands against one data directory: in this JVM for speed, or as a separate process. */
public final class Berth {
    private final Path dataDir;

    public Berth(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Runs in this JVM, as {@code berth --data-dir DIR ARGS}. */
    public Tools.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Tools.Result(code, out.toString(), err.toString());
    }

    public Tools.Result ok(String... args) {
        return run(args).assertSuccess("berth " + String.join(" ", args));
    }

    /** Starts {@code berth ARGS} as its own process with BERTH_DATA_DIR set, the way users run it. */
    public Process start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().put("BERTH_DATA_DIR", dataDir.toString());
        builder.redirectErrorStream(true);
        return builder.start();
    }

    /** Runs {@code berth ARGS} as its own process with the given extra environment. */
    public static Tools.Result process(Path workDir, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return Tools.run(workDir, environment, command);
    }
}
