package dev.berth.registry.http;

import dev.berth.registry.access.Action;
import dev.berth.registry.access.AuthorizationSeam.Need;

/** Which action each registry endpoint needs, for the authorisation seam. */
final class RouteNeeds {
    private RouteNeeds() {
    }

    /** The need of a {@code /v2/} route; null for routes the seam does not guard (metrics, unknown paths). */
    static Need of(Route route, String method) {
        return switch (route.kind()) {
            case BASE -> Need.BASE;
            case CATALOG -> Need.CATALOG;
            case MANIFEST, BLOB -> new Need.OnRepository(route.repository(), switch (method) {
                case "GET", "HEAD" -> Action.PULL;
                case "DELETE" -> Action.DELETE;
                default -> Action.PUSH;
            });
            case UPLOADS, UPLOAD -> new Need.OnRepository(route.repository(), Action.PUSH);
            case TAGS, REFERRERS -> new Need.OnRepository(route.repository(), Action.PULL);
            case METRICS, TOKEN, API, UNKNOWN -> null;
        };
    }
}
