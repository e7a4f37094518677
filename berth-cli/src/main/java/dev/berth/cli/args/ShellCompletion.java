package dev.berth.cli.args;

import java.util.List;
import java.util.Locale;

/**
 * Completion scripts for bash, zsh and fish, made from the commands' declared syntax, so that
 * they complete exactly the commands and options the parser accepts. Commands and options are
 * completed; the values of options and parameters fall back to file names.
 */
public final class ShellCompletion {
    public static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private ShellCompletion() {
    }

    public static String script(String shell, List<CommandPage> pages) {
        return switch (shell.toLowerCase(Locale.ROOT)) {
            case "bash" -> bash(pages);
            // zsh runs bash completion functions through its bashcompinit
            case "zsh" -> "#compdef berth\nautoload -U +X bashcompinit && bashcompinit\n" + bash(pages);
            case "fish" -> fish(pages);
            default -> throw new UsageException("no completion for the shell '" + shell + "': choose " + String.join(", ", SHELLS));
        };
    }

    /**
     * A function that finds the command path among the words typed so far (the longest run of
     * subcommand words after {@code berth}), then offers that command's subcommands or options.
     */
    private static String bash(List<CommandPage> pages) {
        StringBuilder script = new StringBuilder("""
                # bash completion for berth, made by 'berth completion bash'
                _berth() {
                    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
                    local path="" word i
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        word=${COMP_WORDS[i]}
                        case $word in -*) continue ;; esac
                        case " $(_berth_value_options "$path") " in
                            *" ${COMP_WORDS[i-1]} "*) continue ;;   # the value of an option
                        esac
                        case " $(_berth_subcommands "$path") " in
                            *" $word "*) path="${path:+$path }$word" ;;
                            *) break ;;
                        esac
                    done
                    case " $(_berth_value_options "$path") " in
                        *" $prev "*) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                    esac
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$(_berth_options "$path")" -- "$cur"))
                    elif [[ -n $(_berth_subcommands "$path") ]]; then
                        COMPREPLY=($(compgen -W "$(_berth_subcommands "$path")" -- "$cur"))
                    else
                        COMPREPLY=($(compgen -f -- "$cur"))
                    fi
                }
                """);
        script.append(bashTable("_berth_subcommands", pages, page -> String.join(" ", page.subcommands())));
        script.append(bashTable("_berth_options", pages, page -> String.join(" ", page.optionNames())));
        script.append(bashTable("_berth_value_options", pages, page -> String.join(" ", page.valueOptions())));
        return script.append("complete -o default -F _berth berth\n").toString();
    }

    private static String bashTable(String function, List<CommandPage> pages, java.util.function.Function<CommandPage, String> words) {
        StringBuilder table = new StringBuilder(function).append("() {\n    case $1 in\n");
        for (CommandPage page : pages) {
            table.append("        \"").append(page.words()).append("\") echo \"").append(words.apply(page)).append("\" ;;\n");
        }
        return table.append("    esac\n}\n").toString();
    }

    /** A {@code complete} line per subcommand and option, each under the condition that its command path was typed. */
    private static String fish(List<CommandPage> pages) {
        StringBuilder script = new StringBuilder("# fish completion for berth, made by 'berth completion fish'\n");
        script.append("""
                function __berth_path
                    set -l path ''
                    for word in (commandline -opc)[2..-1]
                        string match -q -- '-*' $word; and continue
                        set -l next (string trim -- "$path $word")
                        contains -- $next $__berth_paths; or break
                        set path $next
                    end
                    echo $path
                end
                complete -c berth -f
                """);
        script.append("set -g __berth_paths");
        for (CommandPage page : pages) {
            if (!page.words().isEmpty()) {
                script.append(" '").append(page.words()).append('\'');
            }
        }
        script.append('\n');
        for (CommandPage page : pages) {
            String condition = "test (__berth_path) = '" + page.words() + "'";
            for (String subcommand : page.subcommands()) {
                script.append("complete -c berth -n \"").append(condition).append("\" -a ").append(subcommand).append('\n');
            }
            for (Syntax.Option option : page.syntax().options()) {
                script.append("complete -c berth -n \"").append(condition).append('"');
                for (String name : option.names()) {
                    script.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
                }
                if (option.takesValue()) {
                    script.append(" -r -F");
                }
                script.append(" -d '").append(firstSentence(option.description()).replace("'", "\\'")).append("'\n");
            }
            if (page.subcommands().isEmpty() && !page.syntax().parameters().isEmpty()) {
                script.append("complete -c berth -n \"").append(condition).append("\" -F\n");
            }
        }
        return script.toString();
    }

    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    }
}
