package dev.berth.cli.commands;

import dev.berth.cli.CommandCatalog;
import dev.berth.cli.Invocation;
import dev.berth.cli.Subcommand;
import dev.berth.cli.args.ShellCompletion;
import dev.berth.cli.args.Syntax;

/** {@code berth completion SHELL}: the completion script for bash, zsh or fish, made from the parser's own model. */
public final class CompletionCommand implements Subcommand {
    private String shell;

    @Override
    public void declare(Syntax syntax) {
        syntax.describe("Print the completion script for bash, zsh or fish.",
                        "bash: source <(berth completion bash), or save it as ~/.local/share/bash-completion/completions/berth;",
                        "zsh: save it as _berth in a directory of your $fpath; fish: berth completion fish | source,",
                        "or save it as ~/.config/fish/completions/berth.fish. The distribution installs all three under share/.")
                .parameter("SHELL", "bash, zsh or fish.", value -> shell = value);
    }

    @Override
    public int run(Invocation invocation) {
        invocation.out().print(ShellCompletion.script(shell, CommandCatalog.pages()));
        return 0;
    }
}
