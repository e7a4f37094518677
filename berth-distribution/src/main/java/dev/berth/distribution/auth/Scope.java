package dev.berth.distribution.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The access one request needs, in the Docker token protocol's terms: pull (and maybe push) on
 * a repository, plus pull on a second repository when a blob is mounted from it.
 */
public record Scope(String repository, boolean push, String mountFrom) {
    /** For requests that name no repository, such as the {@code /v2/} ping. */
    public static final Scope REGISTRY = new Scope(null, false, null);

    public static Scope pull(String repository) {
        return new Scope(repository, false, null);
    }

    public static Scope push(String repository) {
        return new Scope(repository, true, null);
    }

    public Scope mounting(String from) {
        return new Scope(repository, push, from);
    }

    /** The {@code scope} parameters of a token request, e.g. {@code repository:a/b:pull,push}. */
    public List<String> tokenScopes() {
        List<String> scopes = new ArrayList<>();
        if (repository != null) {
            scopes.add("repository:" + repository + (push ? ":pull,push" : ":pull"));
        }
        if (mountFrom != null) {
            scopes.add("repository:" + mountFrom + ":pull");
        }
        return scopes;
    }
}
