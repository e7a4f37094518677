package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.RegistryException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One page of a sorted listing ({@code ?n=&last=}), with the Link to the next page when there is one.
 * An {@code n} above {@link #MAX_SIZE} is taken as that, as CNCF distribution does: the client gets
 * fewer items than it asked for and the Link to the rest, which the spec allows. Without {@code n}
 * the whole listing comes back, as clients that do not page expect.
 */
record Page(List<String> items, Optional<String> link) {
    static final int MAX_SIZE = 1000;

    /** A page of tags; {@code last} must be a tag. */
    static Page ofTags(Request request, NavigableSet<String> tags, String path) {
        return of(request, tags, path, Names::isTag, ErrorCode.MANIFEST_INVALID, "a tag");
    }

    /** A page of repository names; {@code last} must be a repository name. */
    static Page ofRepositories(Request request, NavigableSet<String> repositories, String path) {
        return of(request, repositories, path, Names::isRepository, ErrorCode.NAME_INVALID, "a repository name");
    }

    private static Page of(Request request, NavigableSet<String> all, String path, Predicate<String> validLast,
                           ErrorCode invalidLast, String lastKind) {
        Fields query = request.getHttpURI().getQuery() == null ? null : Request.extractQueryParameters(request);
        String nText = query == null ? null : query.getValue("n");
        String last = query == null ? null : query.getValue("last");
        // An empty last= is how some clients ask for the first page.
        if (last != null && !last.isEmpty() && !validLast.test(last)) {
            throw new RegistryException(invalidLast, "invalid last=" + last + ": it must be " + lastKind);
        }
        int n = nText == null ? Integer.MAX_VALUE : size(nText);
        NavigableSet<String> after = last == null || last.isEmpty() ? all : all.tailSet(last, false);
        List<String> items = new ArrayList<>(Math.min(n, MAX_SIZE));
        for (String item : after) {
            if (items.size() >= n) {
                break;
            }
            items.add(item);
        }
        Optional<String> link = Optional.empty();
        if (n > 0 && items.size() == n && after.higher(items.getLast()) != null) {
            link = Optional.of("<" + path + "?n=" + n + "&last="
                    + URLEncoder.encode(items.getLast(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        return new Page(items, link);
    }

    /** A decimal count, however large (beyond MAX_SIZE it is MAX_SIZE); anything else is refused. */
    private static int size(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "invalid page size n=" + text
                    + ": use a whole number from 0 to " + MAX_SIZE);
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        return digits.length() > 4 ? MAX_SIZE : Math.min(Integer.parseInt(digits), MAX_SIZE);
    }
}
