package dev.berth.registry.access.oidc;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.ExternalIdentity;
import dev.berth.registry.meta.Accounts;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The OAuth device authorization grant (RFC 8628) with the registry as the confidential client, for
 * {@code berth login HOST --device} on a machine without a browser: the person approves on another
 * device, and the registry turns the provider's ID token into a personal access token that every
 * container tool can use as a password. The registry keeps no state: the device code is the handle.
 */
public final class DeviceSignIn {
    /** What the person is shown, and how the client polls. */
    public record Started(String deviceCode, String userCode, URI verificationUri, URI verificationUriComplete,
                          long intervalSeconds, long expiresInSeconds) {
    }

    public sealed interface Outcome {
        /** The person has not approved yet: poll again after the interval. */
        record Pending(boolean slowDown) implements Outcome {
        }

        record Expired() implements Outcome {
        }

        record Denied() implements Outcome {
        }

        record SignedIn(String username, String token) implements Outcome {
        }
    }

    /** RFC 8628's default when the provider names no interval. */
    private static final long DEFAULT_INTERVAL_SECONDS = 5;

    private final IdentityProvider provider;
    private final ExternalSignIn signIn;

    public DeviceSignIn(IdentityProvider provider, ExternalSignIn signIn) {
        this.provider = provider;
        this.signIn = signIn;
    }

    public Started start() {
        OIDCProviderMetadata metadata = provider.metadata();
        URI endpoint = metadata.getDeviceAuthorizationEndpointURI();
        if (endpoint == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "the identity provider " + provider.config().issuer()
                    + " offers no device sign-in: use the web sign-in at /auth/oidc/login, or ask its admin to enable the"
                    + " device authorization grant for client " + provider.config().clientId());
        }
        Scope scope = new Scope(provider.config().scopes().toArray(String[]::new));
        DeviceAuthorizationRequest request = provider.authentication() == null
                ? new DeviceAuthorizationRequest(endpoint, provider.client(), scope)
                : new DeviceAuthorizationRequest(endpoint, provider.authentication(), scope, Map.of());
        DeviceAuthorizationResponse response;
        try {
            response = DeviceAuthorizationResponse.parse(provider.send(request.toHTTPRequest(), "starting a device sign-in"));
        } catch (ParseException e) {
            throw provider.unavailable("starting a device sign-in", e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((DeviceAuthorizationErrorResponse) response).getErrorObject();
            throw new RegistryException(ErrorCode.DENIED, 502, "the identity provider " + provider.config().issuer()
                    + " refused to start a device sign-in for client " + provider.config().clientId() + " ("
                    + describe(error) + "): ask the registry's admin to check [auth.oidc]");
        }
        DeviceAuthorizationSuccessResponse started = response.toSuccessResponse();
        long interval = started.getInterval() > 0 ? started.getInterval() : DEFAULT_INTERVAL_SECONDS;
        return new Started(started.getDeviceCode().getValue(), started.getUserCode().getValue(),
                started.getVerificationURI(), started.getVerificationURIComplete(), interval, started.getLifetime());
    }

    public Outcome poll(String deviceCode, String address) {
        TokenResponse response = provider.exchange(new DeviceCodeGrant(new DeviceCode(deviceCode)), "a device sign-in");
        if (!response.indicatesSuccess()) {
            return refused(((TokenErrorResponse) response).getErrorObject());
        }
        ExternalIdentity identity = provider.idTokens().check(provider.idTokenIn(response), null);
        Accounts.Account account = signIn.admit(identity, address);
        String name = "berth login --device " + LocalDate.now(ZoneOffset.UTC);
        ExternalSignIn.NewToken token = signIn.personalToken(account, name, "",
                provider.config().deviceTokenLifetime(), address);
        return new Outcome.SignedIn(account.name(), token.secret());
    }

    private Outcome refused(ErrorObject error) {
        if (DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.getCode().equals(error.getCode())) {
            return new Outcome.Pending(false);
        }
        if (DeviceAuthorizationGrantError.SLOW_DOWN.getCode().equals(error.getCode())) {
            return new Outcome.Pending(true);
        }
        if (DeviceAuthorizationGrantError.EXPIRED_TOKEN.getCode().equals(error.getCode())) {
            return new Outcome.Expired();
        }
        if (OAuth2Error.ACCESS_DENIED.getCode().equals(error.getCode())) {
            return new Outcome.Denied();
        }
        if (OAuth2Error.INVALID_GRANT.getCode().equals(error.getCode())) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the identity provider does not know this device sign-in"
                    + " (" + describe(error) + "): start again with berth login HOST --device");
        }
        throw new RegistryException(ErrorCode.DENIED, 502, "the identity provider " + provider.config().issuer()
                + " refused the device sign-in (" + describe(error) + "): ask the registry's admin to check [auth.oidc]");
    }

    private static String describe(ErrorObject error) {
        return ProviderText.printable(error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription()),
                200);
    }
}
