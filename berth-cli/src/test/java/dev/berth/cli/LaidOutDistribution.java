package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** berth laid out as the release has it (bin/berth, lib/ of jars) from this test JVM's class path, to run the real launcher. */
public final class LaidOutDistribution {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private LaidOutDistribution() {
    }

    /** Lays the distribution out in {@code dist}; returns its bin/berth. */
    static Path in(Path dist) throws IOException {
        return in(dist, System.getProperty("java.class.path"));
    }

    /** Lays the distribution of the jars and class directories of {@code classPath} out in {@code dist}; returns its bin/berth. */
    public static Path in(Path dist, String classPath) throws IOException {
        Path lib = Files.createDirectories(dist.resolve("lib"));
        Path jarTool = Path.of(System.getProperty("java.home"), "bin", "jar");
        int index = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path element = Path.of(entry);
            if (Files.isRegularFile(element)) {
                Files.createSymbolicLink(lib.resolve(element.getFileName()), element);
            } else if (Files.isDirectory(element) && !element.getFileName().toString().endsWith("test-classes")) {
                // the JDK keeps an AOT cache only for a class path of jars
                String name = Files.exists(element.resolve("dev/berth/cli/Main.class")) ? "berth-cli.jar" : "classes-" + index++ + ".jar";
                Tools.ok(dist, jarTool.toString(), "--create", "--file", lib.resolve(name).toString(), "-C", element.toString(), ".");
            }
        }
        Path launcher = Files.createDirectories(dist.resolve("bin")).resolve("berth");
        Files.copy(ROOT.resolve("bin/berth"), launcher);
        Tools.ok(dist, "chmod", "0755", launcher.toString());
        return launcher;
    }
}
