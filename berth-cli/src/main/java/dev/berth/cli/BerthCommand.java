package dev.berth.cli;

import dev.berth.cli.commands.BuildCommand;
import dev.berth.cli.commands.CompletionCommand;
import dev.berth.cli.commands.CheckCommand;
import dev.berth.cli.commands.ConvertCommand;
import dev.berth.cli.commands.ExecCommand;
import dev.berth.cli.commands.ExportCommand;
import dev.berth.cli.commands.ImagesCommand;
import dev.berth.cli.commands.InfoCommand;
import dev.berth.cli.commands.ImportCommand;
import dev.berth.cli.commands.InspectCommand;
import dev.berth.cli.commands.LoadCommand;
import dev.berth.cli.commands.ManualCommand;
import dev.berth.cli.commands.PruneCommand;
import dev.berth.cli.commands.InstanceListCommand;
import dev.berth.cli.commands.InstanceLogsCommand;
import dev.berth.cli.commands.InstanceStartCommand;
import dev.berth.cli.commands.InstanceStopCommand;
import dev.berth.cli.commands.PsCommand;
import dev.berth.cli.commands.RmiCommand;
import dev.berth.cli.commands.RunCommand;
import dev.berth.cli.commands.SaveCommand;
import dev.berth.cli.commands.ShellCommand;
import dev.berth.cli.commands.TagCommand;
import dev.berth.cli.commands.VersionCommand;
import dev.berth.cli.commands.access.AuditCommand;
import dev.berth.cli.commands.access.LicenceAcceptCommand;
import dev.berth.cli.commands.access.LicenceShowCommand;
import dev.berth.cli.commands.access.MemberAddCommand;
import dev.berth.cli.commands.access.MemberListCommand;
import dev.berth.cli.commands.access.MemberRmCommand;
import dev.berth.cli.commands.access.ProjectCreateCommand;
import dev.berth.cli.commands.access.ProjectDeleteCommand;
import dev.berth.cli.commands.access.ProjectKeyAddCommand;
import dev.berth.cli.commands.access.ProjectKeyListCommand;
import dev.berth.cli.commands.access.ProjectKeyRmCommand;
import dev.berth.cli.commands.access.ProjectListCommand;
import dev.berth.cli.commands.access.ProjectSetCommand;
import dev.berth.cli.commands.access.ProjectShowCommand;
import dev.berth.cli.commands.access.RepositorySetCommand;
import dev.berth.cli.commands.access.RepositoryShowCommand;
import dev.berth.cli.commands.access.RobotCreateCommand;
import dev.berth.cli.commands.access.RobotListCommand;
import dev.berth.cli.commands.access.RobotRmCommand;
import dev.berth.cli.commands.access.TagsCommand;
import dev.berth.cli.commands.access.TokenCreateCommand;
import dev.berth.cli.commands.access.TokenListCommand;
import dev.berth.cli.commands.access.TokenRevokeCommand;
import dev.berth.cli.commands.access.UserAddCommand;
import dev.berth.cli.commands.access.UserDisableCommand;
import dev.berth.cli.commands.access.UserListCommand;
import dev.berth.cli.commands.client.CopyCommand;
import dev.berth.cli.commands.client.LoginCommand;
import dev.berth.cli.commands.client.LogoutCommand;
import dev.berth.cli.commands.client.PullCommand;
import dev.berth.cli.commands.client.PushCommand;
import dev.berth.cli.commands.registry.GcCommand;
import dev.berth.cli.commands.registry.ServeCommand;
import dev.berth.cli.commands.system.SystemDfCommand;
import dev.berth.cli.commands.system.SystemPruneCommand;
import dev.berth.cli.commands.system.SystemWarmCommand;
import dev.berth.cli.commands.trust.KeyGenerateCommand;
import dev.berth.cli.commands.trust.ProvenanceCommand;
import dev.berth.cli.commands.trust.SignCommand;
import dev.berth.cli.commands.trust.VerifyCommand;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The tree of berth's commands, in the order help lists them. A command object is made only for
 * the command a command line names (or, for help, to read each one's summary).
 */
final class BerthCommand {
    /** A name on the command line: a command that runs, or a group of them. */
    sealed interface Entry permits Command, Group {
        String name();
    }

    record Command(String name, List<String> aliases, Supplier<Subcommand> factory) implements Entry {
        boolean answersTo(String word) {
            return name.equals(word) || aliases.contains(word);
        }
    }

    record Group(String name, List<String> description, List<Entry> members) implements Entry {
        Optional<Entry> find(String word) {
            return members.stream()
                    .filter(entry -> entry instanceof Command command ? command.answersTo(word) : entry.name().equals(word))
                    .findFirst();
        }

        /** Every word that names a member, aliases included. */
        List<String> words() {
            return members.stream().flatMap(entry -> entry instanceof Command command
                    ? Stream.concat(Stream.of(command.name()), command.aliases().stream())
                    : Stream.of(entry.name())).toList();
        }
    }

    static final Group BERTH = new Group("berth", List.of("Build, share, trust and run software containers."), List.of(
            command("version", VersionCommand::new),
            command("info", InfoCommand::new),
            command("completion", CompletionCommand::new),
            command("manual", ManualCommand::new),
            command("import", ImportCommand::new),
            command("export", ExportCommand::new),
            command("save", SaveCommand::new),
            command("load", LoadCommand::new),
            new Command("images", List.of("ls"), ImagesCommand::new),
            command("inspect", InspectCommand::new),
            command("tag", TagCommand::new),
            command("tags", TagsCommand::new),
            command("rmi", RmiCommand::new),
            command("prune", PruneCommand::new),
            command("pull", PullCommand::new),
            command("push", PushCommand::new),
            command("copy", CopyCommand::new),
            command("login", LoginCommand::new),
            command("logout", LogoutCommand::new),
            new Group("user", List.of("Manage a berth registry's user accounts (site admins)."), List.of(
                    command("list", UserListCommand::new),
                    command("add", UserAddCommand::new),
                    command("disable", UserDisableCommand::new))),
            new Group("project", List.of("Manage projects on a berth registry: sharing class and members."), List.of(
                    command("create", ProjectCreateCommand::new),
                    command("list", ProjectListCommand::new),
                    command("show", ProjectShowCommand::new),
                    command("set", ProjectSetCommand::new),
                    command("delete", ProjectDeleteCommand::new),
                    new Group("key", List.of("Manage a trusted project's staff public keys."), List.of(
                            command("add", ProjectKeyAddCommand::new),
                            command("list", ProjectKeyListCommand::new),
                            command("rm", ProjectKeyRmCommand::new))),
                    new Group("member", List.of("Manage who has which role in a project."), List.of(
                            command("add", MemberAddCommand::new),
                            command("rm", MemberRmCommand::new),
                            command("list", MemberListCommand::new))))),
            new Group("robot", List.of("Manage a project's robot accounts for CI and services."), List.of(
                    command("create", RobotCreateCommand::new),
                    command("list", RobotListCommand::new),
                    command("rm", RobotRmCommand::new))),
            new Group("token", List.of("Manage your personal access tokens on a berth registry."), List.of(
                    command("create", TokenCreateCommand::new),
                    command("list", TokenListCommand::new),
                    command("revoke", TokenRevokeCommand::new))),
            new Group("repository", List.of("Show and change a repository's sharing class and licence."), List.of(
                    command("set", RepositorySetCommand::new),
                    command("show", RepositoryShowCommand::new))),
            new Group("licence", List.of("Read and accept the licences of images on a berth registry."), List.of(
                    command("show", LicenceShowCommand::new),
                    command("accept", LicenceAcceptCommand::new))),
            command("run", RunCommand::new),
            command("exec", ExecCommand::new),
            command("check", CheckCommand::new),
            command("shell", ShellCommand::new),
            command("ps", PsCommand::new),
            new Group("instance", List.of("Run images in the background under a name: servers, notebooks, databases."), List.of(
                    command("start", InstanceStartCommand::new),
                    command("list", InstanceListCommand::new),
                    command("stop", InstanceStopCommand::new),
                    command("logs", InstanceLogsCommand::new))),
            command("convert", ConvertCommand::new),
            command("build", BuildCommand::new),
            command("sign", SignCommand::new),
            command("verify", VerifyCommand::new),
            command("provenance", ProvenanceCommand::new),
            new Group("key", List.of("Make and manage signing keys."), List.of(
                    command("generate", KeyGenerateCommand::new))),
            new Group("system", List.of("See and free the space berth's store and caches take; build the start-up caches."), List.of(
                    command("df", SystemDfCommand::new),
                    command("prune", SystemPruneCommand::new),
                    command("warm", SystemWarmCommand::new))),
            command("serve", ServeCommand::new),
            new Group("registry", List.of("Maintain a berth registry: its storage and its audit log."), List.of(
                    command("gc", GcCommand::new),
                    command("audit", AuditCommand::new)))));

    private BerthCommand() {
    }

    private static Command command(String name, Supplier<Subcommand> factory) {
        return new Command(name, List.of(), factory);
    }
}
