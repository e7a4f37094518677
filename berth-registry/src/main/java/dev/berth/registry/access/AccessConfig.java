package dev.berth.registry.access;

import java.time.Duration;

/**
 * The registry config's {@code [auth]} table. Its presence, even empty, turns authentication on.
 *
 * @param databaseUrl      JDBC URL of the metadata database; null for {@code meta.db} under the root
 * @param databaseUser     database user, or null
 * @param databasePassword database password, or null
 * @param service          the token service name clients send and tokens carry as audience
 * @param realm            absolute URL of the token endpoint for challenges; null derives it from each request
 * @param tokenLifetime    how long a registry token is good
 * @param ldap             the {@code [auth.ldap]} table, or null
 * @param oidc             the {@code [auth.oidc]} table, or null
 */
public record AccessConfig(String databaseUrl, String databaseUser, String databasePassword, String service,
                           String realm, Duration tokenLifetime, LdapConfig ldap, OidcConfig oidc) {
    public static final String DEFAULT_SERVICE = "berth";
    public static final String TOKEN_PATH = "/auth/token";

    public static AccessConfig defaults() {
        return new AccessConfig(null, null, null, DEFAULT_SERVICE, null, Duration.ofMinutes(5), null, null);
    }

    public AccessConfig withDatabase(String url, String user, String password) {
        return new AccessConfig(url, user, password, service, realm, tokenLifetime, ldap, oidc);
    }

    public AccessConfig withService(String newService) {
        return new AccessConfig(databaseUrl, databaseUser, databasePassword, newService, realm, tokenLifetime, ldap, oidc);
    }

    public AccessConfig withRealm(String newRealm) {
        return new AccessConfig(databaseUrl, databaseUser, databasePassword, service, newRealm, tokenLifetime, ldap, oidc);
    }

    public AccessConfig withTokenLifetime(Duration lifetime) {
        return new AccessConfig(databaseUrl, databaseUser, databasePassword, service, realm, lifetime, ldap, oidc);
    }

    public AccessConfig withLdap(LdapConfig newLdap) {
        return new AccessConfig(databaseUrl, databaseUser, databasePassword, service, realm, tokenLifetime, newLdap, oidc);
    }

    public AccessConfig withOidc(OidcConfig newOidc) {
        return new AccessConfig(databaseUrl, databaseUser, databasePassword, service, realm, tokenLifetime, ldap, newOidc);
    }
}
