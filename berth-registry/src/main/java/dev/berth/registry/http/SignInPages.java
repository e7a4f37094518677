package dev.berth.registry.http;

import dev.berth.registry.access.oidc.WebSignIn;

import java.util.TreeSet;

/** The two pages of the web sign-in, plain HTML without scripts: who you are with the token form, and a new token. */
final class SignInPages {
    private SignInPages() {
    }

    static String signedIn(WebSignIn.Session session) {
        String groups = session.groups().isEmpty() ? "none" : String.join(", ", new TreeSet<>(session.groups()));
        return page("Signed in as " + session.accountName(), """
                <p>Groups: %s</p>
                <h2>New personal access token</h2>
                <p>Use it as the password of podman, skopeo, docker or berth login. It lasts until it expires or you
                revoke it, whatever happens to this sign-in.</p>
                <form method="post" action="/auth/oidc/tokens">
                <input type="hidden" name="csrf" value="%s">
                <p><label>Name <input name="name" required maxlength="100"></label></p>
                <p><label>Scopes <input name="scopes" placeholder="lab/*:pull,push lab/tool:pull"></label>
                (empty: all you may do)</p>
                <p><label>Expires after <input name="expires" value="90d"></label> (e.g. 12h, 30d; 0: never)</p>
                <p><button type="submit">Create token</button></p>
                </form>
                """.formatted(escape(groups), escape(session.csrf())));
    }

    static String tokenCreated(WebSignIn.Session session, String name, String secret, String host) {
        return page("Token " + name, """
                <p>This is the only time the token is shown: copy it now.</p>
                <p><code>%s</code></p>
                <p>For example: <code>podman login %s -u %s</code> and paste the token as the password.</p>
                <p><a href="/auth/oidc/login">Make another token</a></p>
                """.formatted(escape(secret), escape(host), escape(session.accountName())));
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>berth: " + escape(title) + "</title></head>\n"
                + "<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
