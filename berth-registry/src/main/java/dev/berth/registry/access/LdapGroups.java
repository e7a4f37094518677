package dev.berth.registry.access;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A signed-in user's groups, by their group {@code cn}: the DNs in an attribute of their own entry
 * ({@code memberOf}), and the groups a search finds ({@code (member={dn})}). What the directory
 * answers is bounded in count and length; a value that is not a group DN with a {@code cn} is skipped.
 */
final class LdapGroups {
    private static final int MAX_GROUPS = 1000;

    private final LdapConfig config;

    LdapGroups(LdapConfig config) {
        this.config = config;
    }

    /** Read on the connection bound as the user, so the directory shows only what they may see. */
    Set<String> of(LDAPConnection connection, DN user, String name) throws LDAPException {
        Set<String> groups = new TreeSet<>();
        if (config.groupAttribute() != null) {
            SearchResultEntry entry = connection.getEntry(user.toString(), config.groupAttribute());
            String[] values = entry == null ? null : entry.getAttributeValues(config.groupAttribute());
            for (String value : values == null ? new String[0] : values) {
                cnOf(value).ifPresent(groups::add);
            }
        }
        if (config.groupSearchBase() != null) {
            for (SearchResultEntry entry : search(connection, user, name)) {
                String cn = entry.getAttributeValue("cn");
                if (cn != null && !cn.isBlank() && cn.length() <= ExternalIdentity.MAX_GROUP_NAME) {
                    groups.add(cn);
                }
            }
        }
        return groups.stream().limit(MAX_GROUPS).collect(Collectors.toSet());
    }

    private List<SearchResultEntry> search(LDAPConnection connection, DN user, String name) throws LDAPException {
        String filter = LdapTemplates.fill(config.groupFilter(), Map.of("dn", user.toString(), "name", name));
        SearchRequest request = new SearchRequest(config.groupSearchBase().toString(), SearchScope.SUB, Filter.create(filter), "cn");
        request.setSizeLimit(MAX_GROUPS);
        request.setTimeLimitSeconds((int) Math.max(1, config.timeout().toSeconds()));
        try {
            return connection.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw e;
        }
    }

    /** The {@code cn} of a group DN's first RDN, e.g. {@code lab-staff} of {@code cn=lab-staff,ou=groups,...}. */
    private static Optional<String> cnOf(String groupDn) {
        try {
            RDN first = new DN(groupDn).getRDN();
            if (first == null) {
                return Optional.empty();
            }
            String[] names = first.getAttributeNames();
            String[] values = first.getAttributeValues();
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase("cn") && !values[i].isBlank() && values[i].length() <= ExternalIdentity.MAX_GROUP_NAME) {
                    return Optional.of(values[i]);
                }
            }
            return Optional.empty();
        } catch (LDAPException e) {
            return Optional.empty();
        }
    }
}
