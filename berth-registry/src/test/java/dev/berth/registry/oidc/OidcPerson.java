package dev.berth.registry.oidc;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person at a browser on the test provider's pages, over plain HTTP with cookies: what they see
 * is HTML, what they do is submit its forms and follow redirects. The provider's development login
 * takes any password.
 */
public final class OidcPerson {
    private static final Pattern XSRF = Pattern.compile("name=\"xsrf\" value=\"([^\"]+)\"");
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final int MAX_REDIRECTS = 20;

    private final String login;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    OidcPerson(String login) {
        this.login = login;
    }

    /**
     * Opens the registry's web sign-in, signs in and consents at the provider, and returns the
     * address the provider sends the browser back to (the registry's callback), not yet opened.
     */
    public URI signInOnTheWeb(URI registryLogin) throws IOException, InterruptedException {
        HttpResponse<String> loginPage = follow(get(registryLogin));
        HttpResponse<String> consentPage = follow(post(URI.create(find(FORM_ACTION, loginPage)),
                Map.of("prompt", "login", "login", login, "password", "any")));
        HttpResponse<String> back = post(URI.create(find(FORM_ACTION, consentPage)), Map.of("prompt", "consent"));
        for (int redirects = 0; redirects < MAX_REDIRECTS; redirects++) {
            URI next = location(back);
            if (next.getPath().endsWith("/auth/oidc/callback")) {
                return next;
            }
            back = get(next);
        }
        throw new AssertionError("the provider never sent the browser back to the registry");
    }

    /** Opens the address, following redirects. */
    public HttpResponse<String> open(URI address) throws IOException, InterruptedException {
        return follow(get(address));
    }

    /** Submits a form, following redirects. */
    public HttpResponse<String> submit(URI action, Map<String, String> fields) throws IOException, InterruptedException {
        return follow(post(action, fields));
    }

    /** Opens the device page, types the code, confirms, signs in and consents; returns the last page. */
    public String approveDevice(URI verificationUri, String userCode) throws IOException, InterruptedException {
        HttpResponse<String> confirm = enterCode(verificationUri, userCode);
        HttpResponse<String> loginPage = submit(verificationUri, Map.of("xsrf", find(XSRF, confirm),
                "user_code", userCode, "confirm", "yes"));
        HttpResponse<String> consentPage = submit(URI.create(find(FORM_ACTION, loginPage)),
                Map.of("prompt", "login", "login", login, "password", "any"));
        HttpResponse<String> done = submit(URI.create(find(FORM_ACTION, consentPage)), Map.of("prompt", "consent"));
        if (!done.body().contains("Sign-in Success")) {
            throw new AssertionError("the provider did not confirm the device sign-in:\n" + done.body());
        }
        return done.body();
    }

    /** Opens the device page, types the code, and presses Abort on the confirmation page. */
    public String denyDevice(URI verificationUri, String userCode) throws IOException, InterruptedException {
        HttpResponse<String> confirm = enterCode(verificationUri, userCode);
        return submit(verificationUri, Map.of("xsrf", find(XSRF, confirm), "user_code", userCode, "abort", "yes")).body();
    }

    private HttpResponse<String> enterCode(URI verificationUri, String userCode) throws IOException, InterruptedException {
        HttpResponse<String> input = open(verificationUri);
        return submit(verificationUri, Map.of("xsrf", find(XSRF, input), "user_code", userCode));
    }

    private HttpResponse<String> follow(HttpResponse<String> response) throws IOException, InterruptedException {
        for (int redirects = 0; redirects < MAX_REDIRECTS && response.statusCode() / 100 == 3; redirects++) {
            response = get(location(response));
        }
        if (response.statusCode() != 200) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ":\n" + response.body());
        }
        return response;
    }

    private static URI location(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                response.uri() + " answered " + response.statusCode() + " without Location:\n" + response.body()));
        return response.uri().resolve(location);
    }

    private HttpResponse<String> get(URI address) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI action, Map<String, String> fields) throws IOException, InterruptedException {
        StringJoiner form = new StringJoiner("&");
        new LinkedHashMap<>(fields).forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return browser.send(HttpRequest.newBuilder(action).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern pattern, HttpResponse<String> page) {
        Matcher matcher = pattern.matcher(page.body());
        if (!matcher.find()) {
            throw new AssertionError(page.uri() + " has no " + pattern + ":\n" + page.body());
        }
        return matcher.group(1);
    }
}
