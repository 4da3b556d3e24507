package dev.handshake.service.proxy;

import dev.handshake.tls.ClientAuth;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The TCP TLS termination listener: where it listens, the limits that bound what one client can make it hold, and the
 * routes from SNI server names to a certificate and an upstream.
 *
 * @param enabled                whether the listener starts with the application
 * @param port                   the TLS port (0 picks a free one, for tests)
 * @param bindAddress            the local address to listen on
 * @param handshakeTimeout       a client that has not completed the handshake by then is cut off (slowloris)
 * @param idleTimeout            a connection with no traffic either way for this long is closed with close_notify
 * @param upstreamConnectTimeout how long a TCP connect to an upstream may take before it counts as down
 * @param drainTimeout           on shutdown, how long open connections may finish before they are closed
 * @param maxConnections         beyond this many open client connections, new ones are closed at once (fd and memory
 *                               exhaustion)
 * @param maxRecordSize          the largest TLS record fragment accepted from a client; RFC 5246 §6.2.3 allows 2^14 +
 *                               2048, which is the default and the ceiling; the frame decoder never buffers more than
 *                               one record of this size plus one read
 * @param routes                 SNI routes; the first whose server names match wins (exact names before wildcards)
 * @param defaultRoute           the route for a ClientHello without SNI or with an unmatched name; when absent and no
 *                               routes are configured, the embedded default (generated certificate, the service's own
 *                               HTTP port) is used; when absent and routes exist, unmatched names get
 *                               {@code unrecognized_name}
 * @param transport              the socket transport: {@code auto} (default: the first of epoll, io_uring and NIO this
 *                               machine supports), or {@code epoll}, {@code io-uring} or {@code nio}, which must then be
 *                               available
 * @param eventLoops             the event loop threads serving client connections (and their upstreams); default one
 *                               per available processor, as many as the cores the process may run on, like HAProxy's
 *                               threads or nginx's workers. Netty's own default is two per core: on one core that cost
 *                               a tenth more system time per kept-alive request in context switches between the two
 *                               (docs/benchmarks-proxy.md)
 */
@ConfigurationProperties("handshake.proxy")
public record ProxyProperties(
        Boolean enabled,
        Integer port,
        String bindAddress,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration upstreamConnectTimeout,
        Duration drainTimeout,
        Integer maxConnections,
        Integer maxRecordSize,
        List<Route> routes,
        Route defaultRoute,
        ProxyTransport transport,
        Integer eventLoops) {

    /** RFC 5246 §6.2.3: TLSCiphertext.length may be at most 2^14 + 2048. */
    public static final int MAX_TLS12_CIPHERTEXT = (1 << 14) + 2048;

    public ProxyProperties {
        enabled = enabled == null || enabled;
        port = port == null ? 8443 : port;
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress;
        handshakeTimeout = positive(handshakeTimeout, Duration.ofSeconds(10), "handshake-timeout");
        idleTimeout = positive(idleTimeout, Duration.ofMinutes(5), "idle-timeout");
        upstreamConnectTimeout = positive(upstreamConnectTimeout, Duration.ofSeconds(5), "upstream-connect-timeout");
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(10) : drainTimeout;
        maxConnections = maxConnections == null ? 10_000 : maxConnections;
        maxRecordSize = maxRecordSize == null ? MAX_TLS12_CIPHERTEXT : maxRecordSize;
        routes = routes == null ? List.of() : List.copyOf(routes);
        transport = transport == null ? ProxyTransport.AUTO : transport;
        eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        if (eventLoops < 1) {
            throw new IllegalArgumentException("handshake.proxy.event-loops must be at least 1");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("handshake.proxy.port must be 0..65535");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("handshake.proxy.max-connections must be at least 1");
        }
        // below 2^14 + 256 a conforming peer's full-size AEAD record would be refused
        if (maxRecordSize < (1 << 14) + 256 || maxRecordSize > MAX_TLS12_CIPHERTEXT) {
            throw new IllegalArgumentException("handshake.proxy.max-record-size must be 16640..18432");
        }
        for (Route route : routes) {
            if (route.serverNames().isEmpty()) {
                throw new IllegalArgumentException("route '" + route.name() + "' needs server-names (or make it the default-route)");
            }
            if (route.upstream().isEmpty()) {
                throw new IllegalArgumentException("route '" + route.name() + "' needs an upstream host:port");
            }
        }
    }

    /**
     * The route of a connection whose ClientHello named {@code serverName} (null: no SNI), by the listener's rules:
     * exact names first, then one-label wildcards, then the default route (null when none).
     */
    public Route routeFor(String serverName) {
        if (serverName != null) {
            String name = serverName.toLowerCase(java.util.Locale.ROOT);
            for (Route route : routes) {
                if (route.serverNames().contains(name)) {
                    return route;
                }
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                String wildcard = "*" + name.substring(dot);
                for (Route route : routes) {
                    if (route.serverNames().contains(wildcard)) {
                        return route;
                    }
                }
            }
        }
        return defaultRoute;
    }

    /** The defaults, for tests and for code that builds a listener without Spring. */
    public static ProxyProperties defaults() {
        return new ProxyProperties(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("handshake.proxy." + name + " must be positive");
        }
        return value;
    }

    /**
     * One route.
     *
     * @param name          for logs and the actuator endpoint
     * @param serverNames   exact names ({@code api.example.com}) or one-label wildcards ({@code *.example.com}, which
     *                      matches {@code a.example.com} but neither {@code example.com} nor {@code a.b.example.com},
     *                      as RFC 6125 §6.4.3 has certificates match)
     * @param bundle        the Spring Boot SSL bundle with the key and chain; empty: the service identity
     * @param trustBundle   the SSL bundle whose trust store holds the CAs for client certificates; empty: the service
     *                      identity's anchors
     * @param upstream      {@code host:port}; empty only for the default route, meaning the service's own HTTP port
     * @param clientAuth    none, optional or required
     * @param alpn          protocols offered in preference order (RFC 7301); empty: no ALPN
     * @param proxyProtocol send a PROXY protocol v2 header with the client address and TLS TLVs to the upstream
     * @param upstreamProtocol how the REST relay's {@code /records} endpoint talks to the upstream: {@code http1} (one
     *                      complete request per call, one framed response back; the default) or {@code tcp} (bytes
     *                      until the upstream half-closes, goes quiet or a size limit is hit). The TCP listener relays
     *                      bytes either way and ignores it.
     * @param recordPadding pad every TLS 1.3 record sent to the client to a multiple of this many bytes (RFC 8446 §5.4),
     *                      so record lengths reveal less of what they carry; 0 (default): none. TLS 1.2 records are
     *                      never padded.
     */
    public record Route(String name, List<String> serverNames, String bundle, String trustBundle, String upstream,
                        ClientAuth clientAuth, List<String> alpn, boolean proxyProtocol,
                        UpstreamProtocol upstreamProtocol, Integer recordPadding) {

        public Route(String name, List<String> serverNames, String bundle, String trustBundle, String upstream,
                     ClientAuth clientAuth, List<String> alpn, boolean proxyProtocol) {
            this(name, serverNames, bundle, trustBundle, upstream, clientAuth, alpn, proxyProtocol, null, null);
        }

        @ConstructorBinding
        public Route {
            serverNames = serverNames == null ? List.of()
                    : serverNames.stream().map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).toList();
            name = name == null || name.isBlank() ? (serverNames.isEmpty() ? "default" : serverNames.get(0)) : name;
            bundle = bundle == null ? "" : bundle;
            trustBundle = trustBundle == null ? "" : trustBundle;
            upstream = upstream == null ? "" : upstream.trim();
            clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
            alpn = alpn == null ? List.of() : List.copyOf(alpn);
            upstreamProtocol = upstreamProtocol == null ? UpstreamProtocol.HTTP1 : upstreamProtocol;
            recordPadding = recordPadding == null ? 0 : recordPadding;
            if (recordPadding < 0 || recordPadding > 16384) {
                throw new IllegalArgumentException("route '" + name + "' record-padding must be 0..16384");
            }
        }
    }
}
