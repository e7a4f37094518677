package dev.berth.registry.access;

import dev.berth.registry.meta.Projects;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a principal may do to a repository: site admins everything; a project's members what
 * their role allows; others pull when the project's class lets them. A project that does not
 * exist yet belongs to the user it is named after (their personal project), else to no one.
 * A personal access token's scopes narrow the result further.
 */
public final class AccessPolicy {
    private final Projects projects;

    public AccessPolicy(Projects projects) {
        this.projects = projects;
    }

    public Set<Action> allowed(Principal principal, String repository) {
        Set<Action> allowed = byRole(principal, projectOf(repository));
        if (!principal.limits().isEmpty()) {
            Set<Action> scoped = EnumSet.noneOf(Action.class);
            for (TokenScope scope : principal.limits()) {
                if (scope.covers(repository)) {
                    scoped.addAll(scope.actions());
                }
            }
            allowed.retainAll(scoped);
        }
        return allowed;
    }

    public boolean may(Principal principal, String repository, Action action) {
        return allowed(principal, repository).contains(action);
    }

    /** What the principal may do to the project itself (its members, its class). */
    public Set<Action> allowedOnProject(Principal principal, String project) {
        return byRole(principal, project);
    }

    private Set<Action> byRole(Principal principal, String projectName) {
        if (principal.admin()) {
            return EnumSet.allOf(Action.class);
        }
        Optional<Projects.Project> project = projects.byName(projectName);
        if (project.isEmpty()) {
            return !principal.anonymous() && projectName.equals(principal.name())
                    ? EnumSet.allOf(Action.class) : EnumSet.noneOf(Action.class);
        }
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        if (!principal.anonymous()) {
            for (Projects.Member member : projects.members(project.get())) {
                // Groups come from LDAP and OIDC, which a later slice adds; local accounts have none.
                if (!member.group() && member.name().equals(principal.name())) {
                    for (Action action : Action.values()) {
                        if (member.role().allows(action)) {
                            allowed.add(action);
                        }
                    }
                }
            }
        }
        if (project.get().sharing().letsNonMembersPull(principal)) {
            allowed.add(Action.PULL);
        }
        return allowed;
    }

    public static String projectOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }
}
