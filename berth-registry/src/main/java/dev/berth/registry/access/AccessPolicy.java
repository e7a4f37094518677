package dev.berth.registry.access;

import dev.berth.registry.meta.LicenceAcceptances;
import dev.berth.registry.meta.Projects;
import dev.berth.registry.meta.RepositorySettings;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a principal may do to a repository. Site admins may do everything. A project's members
 * (users, or groups the principal is in) may do what their best role allows; others may pull
 * when the repository's class (its own, else its project's) lets them. In an exec-only project
 * only maintainers, owners and runner robots pull. A licence that must be accepted keeps
 * everyone but the project's developers and above, robots and admins from pulling until they
 * have accepted its current text. A robot may do what its scopes say, in its own project only.
 * A project that does not exist yet belongs to the user it is named after (their personal project).
 * A personal access token's scopes narrow the result further.
 */
public final class AccessPolicy {
    private static final Set<Action> CONTENT = EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE);

    private final Projects projects;
    private final RepositorySettings settings;
    private final LicenceAcceptances licences;

    public AccessPolicy(Projects projects, RepositorySettings settings, LicenceAcceptances licences) {
        this.projects = projects;
        this.settings = settings;
        this.licences = licences;
    }

    /** What the principal, calling from {@code address}, may do to {@code repository}. */
    public Set<Action> allowed(Principal principal, String repository, String address) {
        return decide(principal, repository, address, projects.byName(projectOf(repository)),
                settings.of(repository), true).actions();
    }

    /**
     * Why the principal may not pull from {@code repository}, for the denial a client shows, or empty
     * when it may. {@code registry} is how the client names this registry, for the command to run.
     */
    public Optional<String> whyNotPull(Principal principal, String repository, String address, String registry) {
        Outcome outcome = decide(principal, repository, address, projects.byName(projectOf(repository)),
                settings.of(repository), true);
        if (outcome.actions().contains(Action.PULL)) {
            return Optional.empty();
        }
        return Optional.of(outcome.whyNotPull().replace("{registry}", registry));
    }

    /**
     * The repositories the principal may see in the catalog: those it could pull from, whether or not
     * it has accepted their licences yet. Projects and settings are read once per call.
     */
    public NavigableSet<String> visible(Principal principal, String address, NavigableSet<String> repositories) {
        Map<String, Optional<Projects.Project>> byName = new HashMap<>();
        Map<String, RepositorySettings.Settings> own = settings.all();
        NavigableSet<String> visible = new TreeSet<>();
        for (String repository : repositories) {
            Optional<Projects.Project> project = byName.computeIfAbsent(projectOf(repository), projects::byName);
            Outcome outcome = decide(principal, repository, address, project, Optional.ofNullable(own.get(repository)), false);
            if (outcome.actions().contains(Action.PULL)) {
                visible.add(repository);
            }
        }
        return visible;
    }

    /** Whether pushes to the repository are upload controlled: its project is trusted, so only maintainers push. */
    public boolean uploadControlled(String repository) {
        return projects.byName(projectOf(repository)).filter(Projects.Project::trusted).isPresent();
    }

    /** Whether the principal may manage the project (members, class, robots): its owners and site admins. */
    public boolean administers(Principal principal, String project) {
        return principal.admin() || roleIn(principal, projects.byName(project)).filter(r -> r == Role.OWNER).isPresent();
    }

    /** The best role the principal has in the project through itself or its groups; empty for robots and non-members. */
    public Optional<Role> roleIn(Principal principal, Optional<Projects.Project> project) {
        if (project.isEmpty() || principal.anonymous() || principal.robot()) {
            return Optional.empty();
        }
        Role best = null;
        for (Projects.Member member : projects.members(project.get())) {
            boolean matches = member.group() ? principal.groups().contains(member.name()) : member.name().equals(principal.name());
            if (matches && (best == null || member.role().compareTo(best) > 0)) {
                best = member.role();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the principal may see the project at all: admins, members, and those its class lets pull. */
    public boolean maySee(Principal principal, Projects.Project project, String address) {
        return principal.admin() || roleIn(principal, Optional.of(project)).isPresent()
                || (principal.robot() && project.name().equals(principal.robotOf()))
                || project.sharing().letsNonMembersPull(principal, project.conditions(), address);
    }

    private record Outcome(Set<Action> actions, String whyNotPull) {
    }

    private Outcome decide(Principal principal, String repository, String address, Optional<Projects.Project> project,
                           Optional<RepositorySettings.Settings> own, boolean licenceGate) {
        if (principal.admin()) {
            return new Outcome(EnumSet.allOf(Action.class), null);
        }
        String projectName = projectOf(repository);
        if (project.isEmpty()) {
            boolean personal = !principal.anonymous() && !principal.robot() && projectName.equals(principal.name());
            return narrowed(principal, repository, new Outcome(personal ? EnumSet.allOf(Action.class) : EnumSet.noneOf(Action.class),
                    "repository " + repository + " does not exist or you may not pull from it"));
        }
        RepositorySettings.Settings settings = own.orElse(RepositorySettings.Settings.none(repository));
        SharingClass sharing = settings.sharing() != null ? settings.sharing() : project.get().sharing();
        Conditions conditions = settings.sharing() != null ? settings.conditions() : project.get().conditions();
        if (principal.robot()) {
            Outcome robot = robot(principal, repository, projectName, sharing);
            if (project.get().trusted()) {
                robot.actions().remove(Action.PUSH);
            }
            return narrowed(principal, repository, robot);
        }
        Optional<Role> role = roleIn(principal, project);
        Set<Action> actions = EnumSet.noneOf(Action.class);
        role.ifPresent(r -> CONTENT.forEach(action -> {
            if (r.allows(action)) {
                actions.add(action);
            }
        }));
        if (role.isPresent() && !sharing.letsMemberPull(role.get())) {
            actions.remove(Action.PULL);
        }
        if (project.get().trusted() && role.filter(r -> r.compareTo(Role.MAINTAINER) >= 0).isEmpty()) {
            actions.remove(Action.PUSH);
        }
        String why = null;
        if (!actions.contains(Action.PULL)) {
            if (role.isEmpty() && sharing.letsNonMembersPull(principal, conditions, address)) {
                actions.add(Action.PULL);
            } else {
                why = denial(principal, repository, sharing, conditions, address);
            }
        }
        RepositorySettings.Licence licence = settings.licence();
        boolean publisher = role.filter(r -> r.compareTo(Role.DEVELOPER) >= 0).isPresent();
        if (licenceGate && actions.contains(Action.PULL) && licence != null && licence.mustBeAccepted() && !publisher
                && (principal.anonymous() || licences.acceptedAt(principal.name(), repository, licence.digest()).isEmpty())) {
            actions.remove(Action.PULL);
            why = "repository " + repository + " is under the licence " + licence.spdx() + ", which "
                    + (principal.anonymous() ? "you must sign in and accept" : principal.name() + " has not accepted")
                    + ": read it with `berth licence show {registry}/" + repository + "` and accept it with `berth licence accept {registry}/"
                    + repository + "`";
        }
        return narrowed(principal, repository, new Outcome(actions, why));
    }

    private static Outcome robot(Principal robot, String repository, String projectName, SharingClass sharing) {
        if (!projectName.equals(robot.robotOf())) {
            return new Outcome(EnumSet.noneOf(Action.class), "robot " + robot.name() + " serves project " + robot.robotOf()
                    + " only, not " + projectName);
        }
        Set<Action> actions = EnumSet.copyOf(CONTENT);
        if (sharing == SharingClass.EXEC_ONLY && !robot.runner()) {
            actions.remove(Action.PULL);
            return new Outcome(actions, "repository " + repository + " is exec-only: only runner robots and maintainers pull it");
        }
        return new Outcome(actions, null);
    }

    private static String denial(Principal principal, String repository, SharingClass sharing, Conditions conditions,
                                 String address) {
        return switch (sharing) {
            case PUBLIC -> "pulling from " + repository + " is not allowed";
            case INTERNAL -> "repository " + repository + " is for signed-in users: log in first";
            case RESTRICTED -> "repository " + repository + " is restricted: pulling needs "
                    + conditions.unmetFor(principal, address);
            case PRIVATE -> "repository " + repository + " does not exist or you may not pull from it";
            case EXEC_ONLY -> "repository " + repository + " is exec-only: it runs on the facility's nodes and is not for"
                    + " download; only runner robots and the project's maintainers pull it";
        };
    }

    private static Outcome narrowed(Principal principal, String repository, Outcome outcome) {
        if (principal.limits().isEmpty()) {
            return outcome;
        }
        Set<Action> scoped = EnumSet.noneOf(Action.class);
        for (TokenScope scope : principal.limits()) {
            if (scope.covers(repository)) {
                scoped.addAll(scope.actions());
            }
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        actions.addAll(outcome.actions());
        actions.retainAll(scoped);
        String why = outcome.whyNotPull() != null || actions.contains(Action.PULL) ? outcome.whyNotPull()
                : "the token used does not cover pulling from " + repository;
        return new Outcome(actions, why);
    }

    public static String projectOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }
}
