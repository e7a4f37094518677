package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code --name=value} options at the start of an instruction's arguments, and what follows them. */
public record Flags(List<Flag> flags, String rest) {
    public record Flag(String name, String value) {
    }

    public Flags {
        flags = List.copyOf(flags);
    }

    /** Splits off the leading flags; a flag not in {@code allowed} is an error naming the instruction. */
    public static Flags parse(Instruction instruction, Set<String> allowed, String file) {
        String text = instruction.arguments();
        List<Flag> flags = new ArrayList<>();
        int at = 0;
        while (text.startsWith("--", at)) {
            int end = at;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String word = text.substring(at + 2, end);
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            if (!allowed.contains(name)) {
                throw new DockerfileSyntaxException(file, instruction.line(), instruction.keyword() + " does not take --" + name
                        + (allowed.isEmpty() ? "" : " (it takes --" + String.join(", --", allowed.stream().sorted().toList()) + ")"));
            }
            flags.add(new Flag(name, equals < 0 ? "true" : word.substring(equals + 1)));
            at = end;
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
        return new Flags(flags, text.substring(at));
    }

    public Optional<String> value(String name) {
        return flags.stream().filter(flag -> flag.name().equals(name)).map(Flag::value).reduce((first, last) -> last);
    }
}
