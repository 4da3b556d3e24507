package dev.handshake.service.proxy;

import java.util.List;
import java.util.Locale;

/** The routing table: SNI server name to route, exact names first, then one-label wildcards, then the default. */
final class ProxyRoutes {

    private final List<ProxyRoute> routes;
    private final ProxyRoute defaultRoute;

    ProxyRoutes(List<ProxyRoute> routes, ProxyRoute defaultRoute) {
        if (routes.isEmpty() && defaultRoute == null) {
            throw new IllegalArgumentException("no routes and no default route");
        }
        this.routes = List.copyOf(routes);
        this.defaultRoute = defaultRoute;
    }

    List<ProxyRoute> routes() {
        return routes;
    }

    ProxyRoute defaultRoute() {
        return defaultRoute;
    }

    /** The route for a ClientHello's server name (null: no SNI); null when nothing matches and there is no default. */
    ProxyRoute select(String serverName) {
        if (serverName == null) {
            return defaultRoute;
        }
        // RFC 6066 §3: a trailing dot is not part of HostName, and DNS names compare case-insensitively
        String name = serverName.toLowerCase(Locale.ROOT);
        for (ProxyRoute route : routes) {
            if (route.serverNames().contains(name)) {
                return route;
            }
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            String wildcard = "*" + name.substring(dot);
            for (ProxyRoute route : routes) {
                if (route.serverNames().contains(wildcard)) {
                    return route;
                }
            }
        }
        return defaultRoute;
    }

    /**
     * The engine that answers a connection no route can take apart (not a ClientHello, malformed): its own alert
     * handling then produces the right alert (decode_error, unexpected_message, record_overflow ...).
     */
    ProxyRoute fallback() {
        return defaultRoute != null ? defaultRoute : routes.get(0);
    }
}
