package dev.berth.cli.args;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntaxTest {
    /** A command shaped like {@code berth exec}: flags, a repeatable option, REF, then the container's arguments. */
    private static final class ExecLike {
        final List<String> binds = new ArrayList<>();
        final List<String> command = new ArrayList<>();
        boolean quiet;
        boolean all;
        String output;
        String reference;

        Syntax syntax() {
            return new Syntax().describe("Run a thing.")
                    .flag("-q, --quiet", "Say less.", () -> quiet = true)
                    .flag("-a, --all", "Everything.", () -> all = true)
                    .option("-B, --bind", "SRC", "Bind (repeatable).", binds::add)
                    .option("-o, --output", "FILE", "Where.", value -> output = value)
                    .parameter("REF", "The image.", value -> reference = value)
                    .rest("COMMAND", "What to run.", true, command::add);
        }

        ExecLike parse(String... args) {
            assertThat(syntax().parse(List.of(args))).isTrue();
            return this;
        }
    }

    @Test
    void optionsTakeTheirValuesInEveryGnuForm() {
        ExecLike parsed = new ExecLike().parse("--bind", "/a", "--bind=/b", "-B/c", "-B", "/d", "-qa", "-oout", "img", "ls");
        assertThat(parsed.binds).containsExactly("/a", "/b", "/c", "/d");
        assertThat(parsed.quiet).isTrue();
        assertThat(parsed.all).isTrue();
        assertThat(parsed.output).isEqualTo("out");
        assertThat(parsed.reference).isEqualTo("img");
    }

    @Test
    void everythingAfterTheReferenceBelongsToTheContainer() {
        ExecLike parsed = new ExecLike().parse("-q", "img", "ls", "-l", "--bind", "x", "--help");
        assertThat(parsed.command).containsExactly("ls", "-l", "--bind", "x", "--help");
        assertThat(parsed.binds).isEmpty();
    }

    @Test
    void doubleDashEndsOptions() {
        ExecLike parsed = new ExecLike().parse("--", "-img", "true");
        assertThat(parsed.reference).isEqualTo("-img");
        assertThat(parsed.quiet).isFalse();
    }

    @Test
    void helpIsAskedForAnywhereBeforeTheContainerArguments() {
        assertThat(new ExecLike().syntax().parse(List.of("-q", "--help"))).isFalse();
        assertThat(new ExecLike().syntax().parse(List.of("-qh"))).isFalse();
    }

    @Test
    void mistakesAreNamed() {
        assertUsageError(List.of("--frob", "img", "ls"), "unknown option --frob");
        assertUsageError(List.of("-qz", "img", "ls"), "unknown option -z");
        assertUsageError(List.of("--bind"), "option --bind needs a value");
        assertUsageError(List.of("--quiet=yes", "img", "ls"), "option --quiet takes no value");
        assertUsageError(List.of(), "missing required parameter REF");
        assertUsageError(List.of("img"), "missing required parameter COMMAND");
    }

    @Test
    void requiredOptionsAndSurplusArgumentsAreUsageErrors() {
        List<String> seen = new ArrayList<>();
        Syntax convert = new Syntax()
                .requiredOption("-o, --output", "FILE", "Where.", seen::add)
                .parameter("REF", "The image.", seen::add)
                .optionalParameter("DEST", "Elsewhere.", seen::add);
        assertThatThrownBy(() -> convert.parse(List.of("img"))).isInstanceOf(UsageException.class)
                .hasMessage("missing required option --output=FILE");
        assertThatThrownBy(() -> convert.parse(List.of("-o", "f", "a", "b", "c"))).isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument 'c'");
    }

    @Test
    void aRestThatComesFirstStillLetsOptionsPrecedeIt() {
        List<String> words = new ArrayList<>();
        boolean[] debug = {false};
        Syntax group = new Syntax()
                .flag("--debug", "Traces.", () -> debug[0] = true)
                .rest("COMMAND", "The command.", false, words::add);
        group.parse(List.of("--debug", "images", "--json", "--debug"));
        assertThat(debug[0]).isTrue();
        assertThat(words).containsExactly("images", "--json", "--debug");
    }

    @Test
    void helpListsParametersAndOptionsWrappedToEightyColumns() {
        String help = HelpText.forCommand("berth exec", new ExecLike().syntax());
        assertThat(help).startsWith("Usage: berth exec [OPTIONS] REF COMMAND...\n\nRun a thing.\n")
                .contains("  -B, --bind=SRC", "  -q, --quiet", "  -h, --help", "  COMMAND");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    private static void assertUsageError(List<String> args, String message) {
        assertThatThrownBy(() -> new ExecLike().syntax().parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
