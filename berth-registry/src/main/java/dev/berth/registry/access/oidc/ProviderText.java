package dev.berth.registry.access.oidc;

/** Text from the identity provider or a browser, made fit for one line of an error message. */
final class ProviderText {
    private ProviderText() {
    }

    static String printable(String text, int maxLength) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > maxLength ? cleaned.substring(0, maxLength) + "..." : cleaned;
    }
}
