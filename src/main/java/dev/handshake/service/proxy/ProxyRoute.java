package dev.handshake.service.proxy;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.TlsEngine;
import java.util.List;

/**
 * A resolved route: the engine configured with the route's certificate, trust and ALPN, and where the plaintext goes.
 *
 * @param serverNames   lower-case exact names and {@code *.} wildcards; empty for the default route
 * @param proxyProtocol whether the upstream receives a PROXY protocol v2 header first
 */
record ProxyRoute(String name, List<String> serverNames, TlsEngine engine, String upstreamHost, int upstreamPort,
                  boolean proxyProtocol) {

    ProxyRoute {
        serverNames = List.copyOf(serverNames);
        if (upstreamPort < 1 || upstreamPort > 65535) {
            throw new IllegalArgumentException("route '" + name + "': upstream port " + upstreamPort);
        }
    }

    /**
     * An unauthenticated client must not be able to open connections to an upstream that requires client
     * certificates, so such routes connect only once the handshake has completed; the others connect while it runs,
     * saving the connect round trip.
     */
    boolean connectsEarly() {
        return engine.config().clientAuth() == ClientAuth.NONE;
    }

    /** Parses {@code host:port} and {@code [v6]:port}. */
    static HostPort parseUpstream(String upstream) {
        int colon = upstream.lastIndexOf(':');
        if (colon <= 0 || colon == upstream.length() - 1) {
            throw new IllegalArgumentException("upstream '" + upstream + "' is not host:port");
        }
        String host = upstream.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, Integer.parseInt(upstream.substring(colon + 1)));
    }

    record HostPort(String host, int port) {
    }
}
