package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile (or Containerfile) read as Docker's parser reads it: parser directives at the top
 * ({@code # escape=`}), comment lines dropped even inside a continued instruction, a line ending
 * in the escape character continued on the next, empty continuation lines skipped, and
 * here-documents after RUN, COPY and ADD.
 */
public record Dockerfile(String file, char escape, List<Instruction> instructions) {
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");
    private static final Set<String> KNOWN = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
            "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    public Dockerfile {
        instructions = List.copyOf(instructions);
    }

    public static Dockerfile parse(String text, String file) {
        Dockerfile dockerfile = instructions(text, file);
        List<Instruction> instructions = dockerfile.instructions();
        if (instructions.stream().noneMatch(i -> i.keyword().equals("FROM"))) {
            throw new DockerfileSyntaxException(file, Math.max(1, (int) text.lines().count()),
                    "no FROM instruction: every build starts from an image or scratch");
        }
        Instruction first = instructions.stream().filter(i -> !i.keyword().equals("ARG")).findFirst().orElseThrow();
        if (!first.keyword().equals("FROM")) {
            throw new DockerfileSyntaxException(file, first.line(), first.keyword() + " before the first FROM (only ARG may come first)");
        }
        return dockerfile;
    }

    /** The instructions of {@code text}, with no rule on where FROM goes: for a base image's ONBUILD triggers. */
    public static Dockerfile instructions(String text, String file) {
        List<String> lines = text.lines().toList();
        char escape = '\\';
        int at = 0;
        for (; at < lines.size(); at++) {
            Matcher directive = DIRECTIVE.matcher(lines.get(at));
            if (!directive.matches()) {
                break;
            }
            String name = directive.group(1).toLowerCase(Locale.ROOT);
            if (name.equals("escape")) {
                String value = directive.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new DockerfileSyntaxException(file, at + 1, "the escape directive must be \\ or `, not " + value);
                }
                escape = value.charAt(0);
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        while (at < lines.size()) {
            String line = lines.get(at);
            if (isBlankOrComment(line)) {
                at++;
                continue;
            }
            int start = at + 1;
            StringBuilder joined = new StringBuilder();
            String current = line;
            while (true) {
                String stripped = current.stripTrailing();
                if (!stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape) {
                    joined.append(stripped, 0, stripped.length() - 1);
                    at++;
                    // inside a continued instruction, comment lines and empty lines are skipped
                    while (at < lines.size() && isBlankOrComment(lines.get(at))) {
                        at++;
                    }
                    if (at >= lines.size()) {
                        break;
                    }
                    current = lines.get(at);
                } else {
                    joined.append(current);
                    at++;
                    break;
                }
            }
            String content = joined.toString().strip();
            int space = indexOfWhitespace(content);
            String keyword = (space < 0 ? content : content.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : content.substring(space).strip();
            if (!KNOWN.contains(keyword)) {
                throw new DockerfileSyntaxException(file, start, "unknown instruction " + keyword);
            }
            List<Instruction.Heredoc> heredocs = new ArrayList<>();
            if (HEREDOC_INSTRUCTIONS.contains(keyword)) {
                Matcher heredoc = HEREDOC.matcher(arguments);
                while (heredoc.find()) {
                    boolean stripTabs = !heredoc.group(1).isEmpty();
                    String delimiter = heredoc.group(3);
                    StringBuilder body = new StringBuilder();
                    boolean closed = false;
                    for (; at < lines.size(); at++) {
                        String bodyLine = stripTabs ? lines.get(at).replaceFirst("^\t+", "") : lines.get(at);
                        if (bodyLine.equals(delimiter)) {
                            closed = true;
                            at++;
                            break;
                        }
                        body.append(bodyLine).append('\n');
                    }
                    if (!closed) {
                        throw new DockerfileSyntaxException(file, start, "the here-document " + delimiter + " is never closed");
                    }
                    heredocs.add(new Instruction.Heredoc(delimiter, body.toString()));
                }
            }
            instructions.add(new Instruction(keyword, arguments, start, heredocs));
        }
        return new Dockerfile(file, escape, instructions);
    }

    private static boolean isBlankOrComment(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() || stripped.startsWith("#");
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
