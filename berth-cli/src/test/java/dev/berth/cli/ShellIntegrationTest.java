package dev.berth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completion for bash, zsh and fish and the manual page, made from the parser's own model, as
 * the real shells and man read them: they offer the commands and options berth accepts.
 */
class ShellIntegrationTest {
    @TempDir
    Path temp;

    private Path script(String shell) throws IOException {
        Tools.Result made = new Berth(temp.resolve("data")).run("completion", shell);
        made.assertSuccess("berth completion " + shell);
        return Files.writeString(temp.resolve("berth." + shell), made.stdout());
    }

    /** What bash's completion function offers for the words typed so far (the last one being completed). */
    private String bash(Path script, String... words) {
        String array = String.join(" ", java.util.Arrays.stream(words).map(word -> "'" + word + "'").toList());
        return Tools.ok(temp, "bash", "-c", "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD="
                + (words.length - 1) + "; _berth; printf '%s\\n' \"${COMPREPLY[@]}\" | sort").stdout();
    }

    @Test
    void bashCompletesCommandsGroupsAndTheOptionsOfTheCommandTyped() throws IOException {
        Path script = script("bash");

        assertThat(bash(script, "berth", "sys")).isEqualTo("system\n");
        assertThat(bash(script, "berth", "system", "")).isEqualTo("df\nprune\nwarm\n");
        assertThat(bash(script, "berth", "pull", "--pl")).isEqualTo("--platform\n");
        assertThat(bash(script, "berth", "--data-dir", "/somewhere", "ver")).isEqualTo("verify\nversion\n");
        assertThat(bash(script, "berth", "system", "df", "--")).contains("--json", "--verbose", "--data-dir")
                .doesNotContain("--platform");
        Files.createFile(temp.resolve("linux-amd64.txt"));
        assertThat(bash(script, "berth", "pull", "--platform", "linux")).as("an option's value: file names")
                .isEqualTo("linux-amd64.txt\n");
    }

    @Test
    void fishAndZshReadTheirScripts() throws IOException {
        Path fish = script("fish");
        assertThat(Tools.ok(temp, "fish", "-c", "source '" + fish + "'; complete -C 'berth system '").stdout().lines())
                .containsExactly("df", "prune", "warm");
        assertThat(Tools.ok(temp, "fish", "-c", "source '" + fish + "'; complete -C 'berth verify --ke'").stdout())
                .contains("--key\t").contains("--keys\t");

        Path zsh = script("zsh");
        assertThat(Tools.run(temp, Map.of("HOME", temp.toString()), List.of("zsh", "-f", "-c",
                "autoload -U compinit && compinit -u -d " + temp.resolve("zcompdump") + "; source '" + zsh + "'; print -r -- $_comps[berth]"))
                .assertSuccess("zsh").stdout()).contains("_berth");
    }

    @Test
    void theManualPageRendersWithoutWarningsAndCoversEveryCommand() throws IOException {
        Tools.Result made = new Berth(temp.resolve("data")).run("manual");
        made.assertSuccess("berth manual");
        Path page = Files.writeString(temp.resolve("berth.1"), made.stdout());

        Tools.Result warnings = Tools.ok(temp, "groff", "-man", "-Tutf8", "-ww", "-z", page.toString());
        assertThat(warnings.stderr()).as("groff's warnings").isEmpty();
        String rendered = Tools.run(temp, Map.of("MANWIDTH", "100"), List.of("man", "-l", page.toString())).stdout();
        for (String command : List.of("berth pull", "berth system prune", "berth registry gc", "berth completion", "berth ps")) {
            assertThat(rendered).as("section of %s", command).contains(command + " [OPTIONS]");
        }
    }
}
