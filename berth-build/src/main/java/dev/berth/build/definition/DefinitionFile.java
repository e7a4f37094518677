package dev.berth.build.definition;

import dev.berth.build.dockerfile.Dockerfile;
import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Instruction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Apptainer (Singularity) definition file, built by the same steps as a Dockerfile: the
 * header's {@code Bootstrap: docker} and {@code From:} are the FROM; {@code %files} become
 * COPYs and {@code %post} a RUN (with {@code sh -e}, in that order, as Apptainer runs them);
 * {@code %environment} is kept where Apptainer keeps it and is read by the runscript (its plain
 * {@code NAME=value} lines are also set in the image's environment, for exec); {@code %runscript}
 * becomes the entrypoint and sees the name it was called by as {@code $BERTH_NAME},
 * {@code $APPTAINER_NAME} and {@code $SINGULARITY_NAME}; {@code %labels} are labels and
 * {@code %help} the runscript's help file.
 */
public final class DefinitionFile {
    private static final Pattern HEADER = Pattern.compile("^\\s*([A-Za-z]+)\\s*:\\s*(.*?)\\s*$");
    private static final Pattern SECTION = Pattern.compile("^%([A-Za-z]+)\\b.*$");
    private static final Pattern PLAIN_ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=([^$`\"'\\\\\\s;&|<>()]*)\\s*$");
    private static final Set<String> SECTIONS = Set.of("files", "post", "environment", "runscript", "labels", "help");
    private static final Set<String> REFUSED = Set.of("setup", "startscript", "test", "pre", "appinstall", "apprun", "appenv",
            "appfiles", "applabels", "apphelp", "apptest", "appstart");
    private static final String METADATA = "/.singularity.d";
    private static final String ENVIRONMENT = METADATA + "/env/90-environment.sh";
    private static final String RUNSCRIPT = METADATA + "/runscript";

    private DefinitionFile() {
    }

    /** Whether {@code text} is a definition file: its first statement is a {@code Bootstrap:} header. */
    public static boolean looksLike(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst()
                .map(line -> line.toLowerCase(Locale.ROOT).startsWith("bootstrap:")).orElse(false);
    }

    /** The definition file as the build steps that make its image. */
    public static Dockerfile parse(String text, String file) {
        List<String> lines = text.lines().toList();
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        Map<String, Integer> sectionLines = new LinkedHashMap<>();
        String section = null;
        for (int at = 0; at < lines.size(); at++) {
            String line = lines.get(at);
            Matcher start = SECTION.matcher(line.strip());
            if (start.matches()) {
                section = start.group(1).toLowerCase(Locale.ROOT);
                if (REFUSED.contains(section)) {
                    throw new DockerfileSyntaxException(file, at + 1, "%" + section + " is not supported by berth build"
                            + (section.equals("setup") ? " (it would run on the host as root; use %files)" : ""));
                }
                if (!SECTIONS.contains(section)) {
                    throw new DockerfileSyntaxException(file, at + 1, "unknown section %" + section);
                }
                sections.put(section, new StringBuilder());
                sectionLines.put(section, at + 1);
            } else if (section != null) {
                sections.get(section).append(line).append('\n');
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                Matcher field = HEADER.matcher(line);
                if (!field.matches()) {
                    throw new DockerfileSyntaxException(file, at + 1, "expected a header line such as 'From: debian:12', not: " + line.strip());
                }
                header.put(field.group(1).toLowerCase(Locale.ROOT), field.group(2));
                headerLines.put(field.group(1).toLowerCase(Locale.ROOT), at + 1);
            }
        }
        String bootstrap = header.getOrDefault("bootstrap", "");
        if (!bootstrap.equalsIgnoreCase("docker")) {
            throw new DockerfileSyntaxException(file, headerLines.getOrDefault("bootstrap", 1),
                    "Bootstrap: " + bootstrap + " is not supported: berth builds from images (Bootstrap: docker, From: IMAGE)");
        }
        String from = header.get("from");
        if (from == null || from.isEmpty()) {
            throw new DockerfileSyntaxException(file, headerLines.get("bootstrap"), "Bootstrap: docker needs a From: IMAGE line");
        }
        List<Instruction> steps = new ArrayList<>();
        steps.add(new Instruction("FROM", from, headerLines.get("from"), List.of()));
        files(sections, sectionLines, steps);
        if (sections.containsKey("post")) {
            steps.add(new Instruction("RUN", "<<BERTH_POST", sectionLines.get("post"),
                    List.of(new Instruction.Heredoc("BERTH_POST", "set -e\n" + sections.get("post")))));
        }
        if (sections.containsKey("environment")) {
            int line = sectionLines.get("environment");
            String environment = sections.get("environment").toString();
            steps.add(copy(line, "0644", "BERTH_ENVIRONMENT", environment, ENVIRONMENT));
            for (String assignment : environment.lines().toList()) {
                Matcher plain = PLAIN_ASSIGNMENT.matcher(assignment);
                if (plain.matches()) {
                    steps.add(new Instruction("ENV", plain.group(1) + "=" + quoted(plain.group(2)), line, List.of()));
                }
            }
        }
        if (sections.containsKey("runscript")) {
            int line = sectionLines.get("runscript");
            steps.add(copy(line, "0755", "BERTH_RUNSCRIPT", runscript(sections.get("runscript").toString()), RUNSCRIPT));
            steps.add(new Instruction("ENTRYPOINT", "[\"" + RUNSCRIPT + "\"]", line, List.of()));
            steps.add(new Instruction("CMD", "[]", line, List.of()));
        }
        if (sections.containsKey("labels")) {
            int line = sectionLines.get("labels");
            for (String label : sections.get("labels").toString().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
                String[] parts = label.split("\\s+", 2);
                steps.add(new Instruction("LABEL", quoted(parts[0]) + "=" + quoted(parts.length > 1 ? parts[1] : ""), line, List.of()));
            }
        }
        if (sections.containsKey("help")) {
            steps.add(copy(sectionLines.get("help"), "0644", "BERTH_HELP", sections.get("help").toString(), RUNSCRIPT + ".help"));
        }
        return new Dockerfile(file, '\\', steps);
    }

    /** {@code %files}: "SOURCE [DESTINATION]" lines; the destination defaults to the source's path. */
    private static void files(Map<String, StringBuilder> sections, Map<String, Integer> sectionLines, List<Instruction> steps) {
        if (!sections.containsKey("files")) {
            return;
        }
        int line = sectionLines.get("files");
        for (String entry : sections.get("files").toString().lines().toList()) {
            line++;
            String stripped = entry.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            String[] parts = stripped.split("\\s+");
            String destination = parts.length > 1 ? parts[1] : (parts[0].startsWith("/") ? parts[0] : "/" + parts[0]);
            steps.add(new Instruction("COPY", "[" + jsonString(parts[0]) + ", " + jsonString(destination) + "]", line, List.of()));
        }
    }

    private static Instruction copy(int line, String mode, String delimiter, String body, String destination) {
        return new Instruction("COPY", "--chmod=" + mode + " <<" + delimiter + " " + destination, line,
                List.of(new Instruction.Heredoc(delimiter, body)));
    }

    /** The runscript as Apptainer runs it: with the name it was called by, and %environment read first. */
    private static String runscript(String body) {
        return "#!/bin/sh\n"
                + "BERTH_NAME=${BERTH_NAME:-${BERTH_CONTAINER:-}}\n"
                + "APPTAINER_NAME=${APPTAINER_NAME:-$BERTH_NAME}\n"
                + "SINGULARITY_NAME=${SINGULARITY_NAME:-$BERTH_NAME}\n"
                + "export BERTH_NAME APPTAINER_NAME SINGULARITY_NAME\n"
                + "if [ -f " + ENVIRONMENT + " ]; then . " + ENVIRONMENT + "; fi\n"
                + body;
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    private static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
