package dev.berth.registry.http;

import dev.berth.registry.access.AccessConfig;

/**
 * Which endpoint a path names. Repository names may contain '/', so the endpoint is found from
 * the end of the path: the part after the last marker must be a single segment.
 */
record Route(Kind kind, String repository, String reference) {

    enum Kind {
        BASE("base"), CATALOG("catalog"), UPLOADS("uploads"), UPLOAD("upload"), BLOB("blob"),
        MANIFEST("manifest"), TAGS("tags"), REFERRERS("referrers"), METRICS("metrics"), TOKEN("token"), API("api"),
        UNKNOWN("unknown");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Route BASE = new Route(Kind.BASE, null, null);
    private static final Route CATALOG = new Route(Kind.CATALOG, null, null);
    private static final Route METRICS = new Route(Kind.METRICS, null, null);
    private static final Route UNKNOWN = new Route(Kind.UNKNOWN, null, null);
    private static final Route TOKEN = new Route(Kind.TOKEN, null, null);
    private static final String API_PREFIX = "/berth/v1/";

    static Route of(String path) {
        if (path.equals("/metrics")) {
            return METRICS;
        }
        if (path.equals(AccessConfig.TOKEN_PATH)) {
            return TOKEN;
        }
        if (path.startsWith(API_PREFIX)) {
            // The API's own path after the prefix, e.g. "projects/lab/members".
            return new Route(Kind.API, null, path.substring(API_PREFIX.length()));
        }
        if (!path.startsWith("/v2")) {
            return UNKNOWN;
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            return BASE;
        }
        if (!path.startsWith("/v2/")) {
            return UNKNOWN;
        }
        String rest = path.substring(4);
        if (rest.equals("_catalog")) {
            return CATALOG;
        }
        if (rest.endsWith("/tags/list")) {
            return new Route(Kind.TAGS, rest.substring(0, rest.length() - "/tags/list".length()), null);
        }
        Route route = split(rest, "/blobs/uploads/", Kind.UPLOAD);
        if (route != null) {
            return route.reference().isEmpty() ? new Route(Kind.UPLOADS, route.repository(), null) : route;
        }
        if (rest.endsWith("/blobs/uploads")) {
            return new Route(Kind.UPLOADS, rest.substring(0, rest.length() - "/blobs/uploads".length()), null);
        }
        for (Kind kind : new Kind[] {Kind.BLOB, Kind.MANIFEST, Kind.REFERRERS}) {
            route = split(rest, switch (kind) {
                case BLOB -> "/blobs/";
                case MANIFEST -> "/manifests/";
                default -> "/referrers/";
            }, kind);
            if (route != null && !route.reference().isEmpty()) {
                return route;
            }
        }
        return UNKNOWN;
    }

    private static Route split(String rest, String marker, Kind kind) {
        int at = rest.lastIndexOf(marker);
        if (at <= 0) {
            return null;
        }
        String tail = rest.substring(at + marker.length());
        if (tail.indexOf('/') >= 0) {
            return null;
        }
        return new Route(kind, rest.substring(0, at), tail);
    }
}
