package dev.berth.cli.commands;

import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.Syntax;
import dev.berth.oci.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/** {@code berth version}: berth's version and what it runs on. */
public final class VersionCommand implements Subcommand {
    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Show berth's version and the Java runtime it runs on.");
    }

    @Override
    public int run(Invocation invocation) {
        print(invocation.out());
        return 0;
    }

    /** The text of {@code berth version}, which {@code berth --version} prints too. */
    public static void print(PrintWriter out) {
        out.println("berth " + version());
        out.println("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out.println("platform " + Platform.host());
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
}
