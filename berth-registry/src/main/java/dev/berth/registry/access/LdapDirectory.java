package dev.berth.registry.access;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.berth.registry.Names;

import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Signs users in against an LDAP directory or Active Directory by binding as them: the directory
 * checks the password, berth never sees a hash. The user's entry is found from a DN template or by
 * a search; their groups are read on the same connection, as the user. One connection per
 * sign-in, closed after it: sign-in is rare next to token use, and nothing is left half-bound.
 */
public final class LdapDirectory implements PasswordDirectory {
    public static final String SOURCE = "ldap";

    private final LdapConfig config;
    private final LdapGroups groups;
    private final SSLUtil tls = new SSLUtil(JVMDefaultTrustManager.getInstance());

    public LdapDirectory(LdapConfig config) {
        this.config = config;
        this.groups = new LdapGroups(config);
    }

    @Override
    public Optional<ExternalIdentity> authenticate(String typed, String password) throws DirectoryUnavailableException {
        String name = typed.toLowerCase(Locale.ROOT);
        // A simple bind with a DN and no password is an unauthenticated bind, which some directories
        // (Active Directory among them) answer with success. A name berth cannot hold never signs in:
        // nor can one the directory would read as someone else's ("alice " is alice to slapd).
        if (password.isEmpty() || !isAccountName(name)) {
            return Optional.empty();
        }
        try (LDAPConnection connection = connect()) {
            Optional<DN> dn = config.userDn() != null ? Optional.of(config.userDn().of(name)) : search(connection, name);
            if (dn.isEmpty() || !bind(connection, dn.get(), password)) {
                return Optional.empty();
            }
            return Optional.of(new ExternalIdentity(name, SOURCE, groups.of(connection, dn.get(), name)));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    private static boolean isAccountName(String name) {
        return Names.isRepository(name) && !name.contains("/");
    }

    private LDAPConnection connect() throws LDAPException, DirectoryUnavailableException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int millis = (int) config.timeout().toMillis();
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setBindWithDNRequiresPassword(true);
        // One operation at a time on a short-lived connection: no reader thread per sign-in.
        options.setUseSynchronousMode(true);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        String host = config.url().getHost();
        int port = config.url().getPort();
        try {
            if (config.url().getScheme().equals("ldaps")) {
                return new LDAPConnection(tls.createSSLSocketFactory(), options, host, port);
            }
            LDAPConnection connection = new LDAPConnection(options, host, port);
            if (config.startTls()) {
                ExtendedResult result = connection.processExtendedOperation(new StartTLSExtendedRequest(tls.createSSLContext()));
                if (result.getResultCode() != ResultCode.SUCCESS) {
                    connection.close();
                    throw new LDAPException(result);
                }
            }
            return connection;
        } catch (GeneralSecurityException e) {
            throw new DirectoryUnavailableException("cannot set up TLS for " + config.url() + ": " + e.getMessage(), e);
        }
    }

    /** The one entry the user filter finds for the name; none when it finds none or several. */
    private Optional<DN> search(LDAPConnection connection, String name) throws LDAPException {
        if (config.searchDn() != null) {
            connection.bind(new SimpleBindRequest(config.searchDn(), config.searchPassword()));
        }
        String filter = LdapTemplates.fill(config.userFilter(), Map.of("name", name));
        SearchRequest request = new SearchRequest(config.userSearchBase().toString(), SearchScope.SUB,
                Filter.create(filter), SearchRequest.NO_ATTRIBUTES);
        request.setSizeLimit(2);
        request.setTimeLimitSeconds((int) Math.max(1, config.timeout().toSeconds()));
        SearchResult result;
        try {
            result = connection.search(request);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty();
            }
            throw e;
        }
        return result.getEntryCount() == 1 ? Optional.of(result.getSearchEntries().getFirst().getParsedDN()) : Optional.empty();
    }

    /** Whether the directory accepts the password; false for a wrong one, an unknown DN or a locked account. */
    private static boolean bind(LDAPConnection connection, DN dn, String password) throws LDAPException {
        try {
            connection.bind(new SimpleBindRequest(dn, password));
            return true;
        } catch (LDAPException e) {
            if (!ResultCode.isConnectionUsable(e.getResultCode())) {
                throw e;
            }
            return false;
        }
    }

    private DirectoryUnavailableException unavailable(LDAPException e) {
        String diagnostic = e.getDiagnosticMessage();
        String detail = diagnostic != null && !diagnostic.isBlank() ? diagnostic : rootCause(e).getMessage();
        detail = detail == null || detail.isBlank() ? "" : ": " + LdapTemplates.printable(detail, 200);
        return new DirectoryUnavailableException("the LDAP directory " + config.url() + " failed (" + e.getResultCode().getName()
                + detail + "); check [auth.ldap] and that the directory is up", e);
    }

    /** What went wrong underneath a connect error, such as a certificate nobody trusts. */
    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause.getCause() != null && depth < 10; depth++) {
            cause = cause.getCause();
        }
        return cause;
    }
}
