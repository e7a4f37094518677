package dev.berth.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code berth version}: berth's version and what it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Show berth's version and the Java runtime it runs on.")
public final class VersionCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
    }

    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/berth/cli/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    static String[] lines() {
        return new String[] {
                "berth " + version(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                "platform " + dev.berth.oci.Platform.host(),
        };
    }

    /** Answers {@code berth --version} with the same text. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
