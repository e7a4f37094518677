package dev.berth.registry.access;

import com.unboundid.ldap.sdk.Filter;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Filter templates of {@code [auth.ldap]}, and text from a directory made safe to print. */
final class LdapTemplates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(name|dn)}");

    private LdapTemplates() {
    }

    /**
     * The filter with each placeholder replaced, in one pass, by its value escaped as a filter
     * value: a name such as {@code *)(uid=*} stays one literal value and cannot widen the filter.
     */
    static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(Filter.encodeValue(values.getOrDefault(match.group(1), ""))));
    }

    static String printable(String text, int maxLength) {
        String cleaned = String.valueOf(text).replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > maxLength ? cleaned.substring(0, maxLength) + "..." : cleaned;
    }
}
