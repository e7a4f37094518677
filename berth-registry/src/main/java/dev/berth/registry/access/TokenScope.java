package dev.berth.registry.access;

import dev.berth.oci.BerthException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a personal access token may touch: one repository ({@code lab/tool}) or a whole project
 * ({@code lab/*}), and which actions there. Written {@code lab/*:pull,push}.
 */
public record TokenScope(String repositories, Set<Action> actions) {
    public TokenScope {
        actions = Set.copyOf(actions);
    }

    public boolean covers(String repository) {
        if (repositories.endsWith("/*")) {
            return repository.startsWith(repositories.substring(0, repositories.length() - 1));
        }
        return repositories.equals(repository);
    }

    /** Whether every repository this scope covers lies in {@code project}. */
    public boolean within(String project) {
        return repositories.startsWith(project + "/");
    }

    public static TokenScope parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid(text);
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String word : text.substring(colon + 1).split(",")) {
            Action action = Action.ofLabel(word.strip());
            if (action == null || action == Action.ADMINISTER) {
                throw invalid(text);
            }
            actions.add(action);
        }
        return new TokenScope(text.substring(0, colon), actions);
    }

    /** Scopes as stored and shown: separated by spaces; an empty text is no narrowing. */
    public static List<TokenScope> parseAll(String text) {
        List<TokenScope> scopes = new ArrayList<>();
        for (String scope : text.split(" ")) {
            if (!scope.isBlank()) {
                scopes.add(parse(scope));
            }
        }
        return scopes;
    }

    public static String format(List<TokenScope> scopes) {
        StringJoiner text = new StringJoiner(" ");
        scopes.forEach(scope -> text.add(scope.toString()));
        return text.toString();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(repositories).append(':');
        String separator = "";
        for (Action action : Action.values()) {
            if (actions.contains(action)) {
                text.append(separator).append(action.label());
                separator = ",";
            }
        }
        return text.toString();
    }

    private static BerthException invalid(String text) {
        return new BerthException("SCOPE_INVALID", "token scope \"" + text
                + "\" is not of the form REPOSITORY:ACTIONS or PROJECT/*:ACTIONS, e.g. lab/*:pull,push");
    }
}
