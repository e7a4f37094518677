package dev.berth.registry.access;

import java.util.Optional;

/** A directory that checks a name and password itself, such as LDAP or Active Directory. */
public interface PasswordDirectory {
    /**
     * The identity the password proves, or empty when the directory does not know the name or the
     * password is wrong (the two are not told apart). Throws when the directory cannot be reached.
     */
    Optional<ExternalIdentity> authenticate(String name, String password) throws DirectoryUnavailableException;

    /** Raised when a directory cannot answer; the sign-in then fails as if the password were wrong. */
    final class DirectoryUnavailableException extends Exception {
        public DirectoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
