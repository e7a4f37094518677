package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;

/** One page of a sorted listing ({@code ?n=&last=}), with the Link to the next page when there is one. */
record Page(List<String> items, Optional<String> link) {

    static Page of(Request request, NavigableSet<String> all, String path) {
        Fields query = request.getHttpURI().getQuery() == null ? null : Request.extractQueryParameters(request);
        String last = query == null ? null : query.getValue("last");
        int n = Integer.MAX_VALUE;
        String nText = query == null ? null : query.getValue("n");
        if (nText != null) {
            try {
                n = Math.max(0, Integer.parseInt(nText));
            } catch (NumberFormatException e) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "invalid page size n=" + nText);
            }
        }
        NavigableSet<String> after = last == null ? all : all.tailSet(last, false);
        List<String> items = new ArrayList<>(Math.min(n, 1024));
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
}
