package dev.berth.cli;

import dev.berth.cli.args.CommandPage;
import dev.berth.cli.args.ManPage;
import dev.berth.cli.args.ShellCompletion;
import dev.berth.cli.commands.VersionCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes the files the distribution installs beside bin/ and lib/: completion for bash, zsh and
 * fish where those shells look for them under a prefix, and the manual page. Run at package time
 * (berth-cli/pom.xml); the date of the page is SOURCE_DATE_EPOCH's when set, so a rebuild matches.
 *
 * <p>Usage: {@code DistributionFiles SHARE_DIR}
 */
public final class DistributionFiles {
    private DistributionFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path share = Path.of(args[0]);
        List<CommandPage> pages = CommandCatalog.pages();
        write(share.resolve("bash-completion/completions/berth"), ShellCompletion.script("bash", pages));
        write(share.resolve("zsh/site-functions/_berth"), ShellCompletion.script("zsh", pages));
        write(share.resolve("fish/vendor_completions.d/berth.fish"), ShellCompletion.script("fish", pages));
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        LocalDate date = epoch == null || epoch.isBlank() ? LocalDate.now(ZoneOffset.UTC)
                : LocalDate.ofInstant(Instant.ofEpochSecond(Long.parseLong(epoch.strip())), ZoneOffset.UTC);
        write(share.resolve("man/man1/berth.1"), ManPage.of(pages, VersionCommand.version(), date));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
