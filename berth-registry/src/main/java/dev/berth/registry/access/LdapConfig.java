package dev.berth.registry.access;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import dev.berth.registry.RegistryConfigFile;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code [auth.ldap]} table: where the directory is, how a user's entry is found (a DN template
 * to bind to directly, or a search), and where their groups come from ({@code memberOf}-style
 * attribute, or a group search). Keys are documented in docs/access.md.
 *
 * @param userDn          the DN to bind to for a name, or null to search
 * @param userSearchBase  where the user's entry is searched for, or null to bind to {@code userDn}
 * @param userFilter      the search filter, {@code {name}} standing for the user's name
 * @param searchDn        who searches for users (null: anonymously), with {@code searchPassword}
 * @param groupAttribute  the user's attribute whose values are their groups' DNs (e.g. memberOf), or null
 * @param groupSearchBase where groups naming the user are searched for, or null
 * @param groupFilter     the group search filter, {@code {dn}} standing for the user's DN and {@code {name}} for their name
 */
public record LdapConfig(LDAPURL url, boolean startTls, UserDn userDn, DN userSearchBase, String userFilter,
                         String searchDn, String searchPassword, String groupAttribute, DN groupSearchBase,
                         String groupFilter, Duration timeout) {
    private static final Set<String> KEYS = Set.of("url", "start-tls", "user-dn", "user-search-base", "user-filter",
            "search-dn", "search-password", "group-attribute", "group-search-base", "group-filter", "timeout");

    /** Made from the table's keys as written; throws IllegalArgumentException naming a bad key. */
    public static LdapConfig from(Map<String, String> keys) {
        for (String key : keys.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("[auth.ldap] has no key " + key + ": the keys are " + new TreeSet<>(KEYS));
            }
        }
        if (!keys.containsKey("url")) {
            throw new IllegalArgumentException("[auth.ldap] needs url, e.g. url = \"ldaps://ldap.example.org\"");
        }
        LDAPURL url = url(keys.get("url").strip());
        boolean startTls = bool(keys, "start-tls");
        if (startTls && url.getScheme().equals("ldaps")) {
            throw new IllegalArgumentException("[auth.ldap] start-tls is for ldap:// URLs; an ldaps:// URL is already encrypted");
        }
        DN userSearchBase = dn(keys, "user-search-base");
        if (keys.containsKey("user-dn") == (userSearchBase != null)) {
            throw new IllegalArgumentException("[auth.ldap] needs either user-dn (e.g. user-dn = \"uid={name},ou=people,dc=example,dc=org\")"
                    + " or user-search-base (with user-filter), not both");
        }
        UserDn userDn = keys.containsKey("user-dn") ? UserDn.parse(keys.get("user-dn").strip()) : null;
        if (userDn != null && (keys.containsKey("user-filter") || keys.containsKey("search-dn"))) {
            throw new IllegalArgumentException("[auth.ldap] user-filter and search-dn go with user-search-base, not user-dn");
        }
        String userFilter = template(keys, "user-filter", "(uid={name})", "{name}");
        String searchDn = keys.containsKey("search-dn") ? dn(keys, "search-dn").toString() : null;
        String searchPassword = keys.get("search-password");
        if ((searchDn == null) != (searchPassword == null)) {
            throw new IllegalArgumentException("[auth.ldap] search-dn and search-password go together");
        }
        DN groupSearchBase = dn(keys, "group-search-base");
        if (groupSearchBase == null && keys.containsKey("group-filter")) {
            throw new IllegalArgumentException("[auth.ldap] group-filter needs group-search-base");
        }
        String groupFilter = template(keys, "group-filter", "(member={dn})", "{dn}");
        String groupAttribute = keys.containsKey("group-attribute") ? keys.get("group-attribute").strip() : null;
        Duration timeout;
        try {
            timeout = RegistryConfigFile.duration(keys.getOrDefault("timeout", "5s"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[auth.ldap] timeout: " + e.getMessage());
        }
        if (timeout.isZero() || timeout.toMinutes() > 10) {
            throw new IllegalArgumentException("[auth.ldap] timeout must be between 1s and 10m, e.g. timeout = \"5s\"");
        }
        return new LdapConfig(url, startTls, userDn, userSearchBase, userFilter, searchDn, searchPassword,
                groupAttribute, groupSearchBase, groupFilter, timeout);
    }

    /** Without the search password, which must not reach a log. */
    @Override
    public String toString() {
        return "LdapConfig[url=" + url + ", userDn=" + userDn + ", userSearchBase=" + userSearchBase + ", userFilter="
                + userFilter + ", searchDn=" + searchDn + ", groupAttribute=" + groupAttribute + ", groupSearchBase="
                + groupSearchBase + ", groupFilter=" + groupFilter + ", timeout=" + timeout + "]";
    }

    private static LDAPURL url(String text) {
        try {
            LDAPURL url = new LDAPURL(text);
            if (!url.hostProvided() || !(url.getScheme().equals("ldap") || url.getScheme().equals("ldaps"))) {
                throw new LDAPException(ResultCode.PARAM_ERROR, "no host");
            }
            return url;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("[auth.ldap] url is not an ldap:// or ldaps:// URL with a host: " + text);
        }
    }

    private static boolean bool(Map<String, String> keys, String key) {
        return switch (keys.getOrDefault(key, "false").strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("[auth.ldap] " + key + " must be true or false");
        };
    }

    private static DN dn(Map<String, String> keys, String key) {
        if (!keys.containsKey(key)) {
            return null;
        }
        try {
            return new DN(keys.get(key).strip());
        } catch (LDAPException e) {
            throw new IllegalArgumentException("[auth.ldap] " + key + " is not a DN, e.g. ou=people,dc=example,dc=org");
        }
    }

    /** A filter with its placeholder; checked here so that a typo fails at start rather than at each sign-in. */
    private static String template(Map<String, String> keys, String key, String fallback, String placeholder) {
        String filter = keys.getOrDefault(key, fallback).strip();
        if (!filter.contains(placeholder)) {
            throw new IllegalArgumentException("[auth.ldap] " + key + " must contain " + placeholder + ", e.g. " + fallback);
        }
        try {
            Filter.create(filter.replace("{name}", "x").replace("{dn}", "x"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("[auth.ldap] " + key + " is not an LDAP filter: " + filter);
        }
        return filter;
    }

    /** A {@code user-dn} template: {@code {name}} is the whole value of its first RDN. */
    public record UserDn(String attribute, DN parent) {
        /** The user's DN, the name escaped as an attribute value, so that it cannot add RDNs. */
        public DN of(String name) {
            return new DN(new RDN(attribute, name), parent);
        }

        static UserDn parse(String template) {
            int equals = template.indexOf('=');
            String rest = equals < 0 ? "" : template.substring(equals + 1);
            if (equals < 1 || !rest.startsWith("{name},")) {
                throw new IllegalArgumentException("[auth.ldap] user-dn must start with ATTRIBUTE={name},"
                        + " e.g. user-dn = \"uid={name},ou=people,dc=example,dc=org\"");
            }
            try {
                return new UserDn(template.substring(0, equals).strip(), new DN(rest.substring("{name},".length())));
            } catch (LDAPException e) {
                throw new IllegalArgumentException("[auth.ldap] user-dn is not a DN after {name},: " + template);
            }
        }
    }
}
