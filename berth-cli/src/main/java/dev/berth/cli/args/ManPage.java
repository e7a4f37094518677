package dev.berth.cli.args;

import java.time.LocalDate;
import java.util.List;

/** berth(1), in roff for man: every command's usage, description, parameters and options, from the same model as --help. */
public final class ManPage {
    private ManPage() {
    }

    public static String of(List<CommandPage> pages, String version, LocalDate date) {
        CommandPage top = pages.getFirst();
        StringBuilder page = new StringBuilder()
                .append(".TH BERTH 1 \"").append(date).append("\" \"berth ").append(escape(version)).append("\" \"berth manual\"\n")
                .append(".SH NAME\nberth \\- ").append(escape(top.syntax().summary())).append('\n')
                .append(".SH SYNOPSIS\n.B berth\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n")
                .append(".SH DESCRIPTION\n");
        top.syntax().description().forEach(line -> page.append(escape(line)).append('\n'));
        page.append("Run \\fBberth help COMMAND\\fR for the same text as below, one command at a time.\n");
        page.append(".SH OPTIONS\n");
        options(page, top.syntax());
        page.append(".SH COMMANDS\n");
        for (CommandPage command : pages.subList(1, pages.size())) {
            if (!command.subcommands().isEmpty()) {
                continue; // a group: its members follow, each with its own section
            }
            page.append(".SS \"").append(escape(command.path())).append("\"\n");
            page.append(escape(HelpText.usage(command.path(), command.syntax()))).append("\n.PP\n");
            command.syntax().description().forEach(line -> page.append(escape(line.strip())).append('\n'));
            for (Syntax.Parameter parameter : command.syntax().parameters()) {
                page.append(".TP\n\\fI").append(escape(parameter.label())).append("\\fR\n").append(escape(parameter.description())).append('\n');
            }
            options(page, command.syntax());
        }
        page.append(".SH FILES\n.TP\n~/.local/share/berth\nthe local image store (\\fB$BERTH_DATA_DIR\\fR)\n")
                .append(".TP\n~/.cache/berth\nconverted images, prepared trees, the build cache and the start-up caches\n")
                .append(".TP\n~/.config/berth/config.toml, /etc/berth/config.toml\nregistry settings\n")
                .append(".TP\n~/.config/berth/policy.toml, /etc/berth/policy.toml\nthe execution policy\n")
                .append(".SH SEE ALSO\n.BR podman (1),\n.BR skopeo (1),\n.BR apptainer (1)\n");
        return page.toString();
    }

    private static void options(StringBuilder page, Syntax syntax) {
        for (Syntax.Option option : syntax.options()) {
            page.append(".TP\n\\fB").append(escape(String.join(", ", option.names()))).append("\\fR");
            if (option.takesValue()) {
                page.append(" \\fI").append(escape(option.label())).append("\\fR");
            }
            page.append('\n').append(escape(option.description())).append('\n');
        }
    }

    /** Backslashes and hyphens as roff wants them, and no line that roff would read as a request. */
    private static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
