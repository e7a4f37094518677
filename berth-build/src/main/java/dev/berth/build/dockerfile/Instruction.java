package dev.berth.build.dockerfile;

import java.util.List;

/**
 * One instruction as written: its keyword (upper case), its arguments with line continuations
 * joined, the line it starts on, and the here-documents that follow it ({@code RUN <<EOF}).
 */
public record Instruction(String keyword, String arguments, int line, List<Heredoc> heredocs) {
    public Instruction {
        heredocs = List.copyOf(heredocs);
    }

    /** A here-document's delimiter and the lines up to it ({@code <<-} strips their leading tabs). */
    public record Heredoc(String delimiter, String body) {
    }

    @Override
    public String toString() {
        return keyword + (arguments.isEmpty() ? "" : " " + arguments);
    }
}
