package dev.berth.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each module's pom declares the artifacts its main code imports, instead of getting them through
 * another module by chance (Maven's dependency:analyze cannot read Java 25 class files). Checked
 * for berth's own modules and the libraries several modules share; the registry's server
 * libraries (Jetty, Nimbus, UnboundID, ...) are used there only.
 */
class ModuleDependenciesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\\.", Pattern.MULTILINE);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    /** Package prefix → artifact; the first prefix that matches wins. */
    private static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();

    static {
        for (String module : List.of("oci", "trust", "distribution", "runtime", "build", "registry", "cli")) {
            ARTIFACTS.put("dev.berth." + module, "berth-" + module);
        }
        ARTIFACTS.put("com.fasterxml.jackson.core", "jackson-core");
        ARTIFACTS.put("com.fasterxml.jackson.databind", "jackson-databind");
        ARTIFACTS.put("com.fasterxml.jackson.annotation", "jackson-annotations");
        ARTIFACTS.put("com.fasterxml.jackson.dataformat.toml", "jackson-dataformat-toml");
        ARTIFACTS.put("com.fasterxml.jackson.dataformat.yaml", "jackson-dataformat-yaml");
        ARTIFACTS.put("org.apache.commons.compress", "commons-compress");
        ARTIFACTS.put("com.github.luben.zstd", "zstd-jni");
        ARTIFACTS.put("org.bouncycastle", "bcprov-jdk18on");
    }

    @Test
    void everyModuleDeclaresWhatItsCodeImports() throws IOException {
        List<String> undeclared = new ArrayList<>();
        for (String module : List.of("berth-oci", "berth-trust", "berth-distribution", "berth-runtime", "berth-build",
                "berth-registry", "berth-cli")) {
            TreeSet<String> declared = new TreeSet<>();
            Matcher artifacts = ARTIFACT.matcher(projectDependencies(ROOT.resolve(module).resolve("pom.xml")));
            while (artifacts.find()) {
                declared.add(artifacts.group(1));
            }
            for (String used : importedArtifacts(ROOT.resolve(module).resolve("src/main/java"))) {
                if (!used.equals(module) && !declared.contains(used)) {
                    undeclared.add(module + " imports " + used);
                }
            }
        }
        assertThat(undeclared).as("add these to the modules' poms").isEmpty();
    }

    /** The pom's own dependencies, not its plugins' or the dependency management's. */
    private static String projectDependencies(Path pom) throws IOException {
        String text = Files.readString(pom);
        int start = text.indexOf("\n  <dependencies>");
        return start < 0 ? "" : text.substring(start, text.indexOf("\n  </dependencies>", start));
    }

    private static TreeSet<String> importedArtifacts(Path sources) throws IOException {
        TreeSet<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    String name = imports.group(1);
                    ARTIFACTS.entrySet().stream().filter(entry -> name.equals(entry.getKey()) || name.startsWith(entry.getKey() + "."))
                            .findFirst().ifPresent(entry -> used.add(entry.getValue()));
                }
            }
        }
        return used;
    }
}
