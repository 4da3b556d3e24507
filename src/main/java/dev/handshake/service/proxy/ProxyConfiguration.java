package dev.handshake.service.proxy;

import dev.handshake.service.certificate.CertificateConfiguration;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.observability.KeyLogFile;
import dev.handshake.service.observability.MonitoredCertificates;
import dev.handshake.service.observability.ObservabilityProperties;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.resumption.Tls12SessionCaches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.HealthIndicator;
import dev.handshake.tls.Identity;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.record.RecordPadding;
import dev.handshake.tls.resumption.SessionCache;
import dev.handshake.tls.crypto.CryptoProviders;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the TLS termination listener: routes from {@code handshake.proxy}, certificates from SSL bundles. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProxyProperties.class)
@ConditionalOnProperty(prefix = "handshake.proxy", name = "enabled", havingValue = "true", matchIfMissing = true)
class ProxyConfiguration {

    @Bean
    ProxyConnections proxyConnections(HandshakeMetrics metrics, ObservabilityProperties observability) {
        ObservabilityProperties.KeyLog keyLog = observability.keyLog();
        return new ProxyConnections(Clock.systemUTC(), metrics, keyLog.enabled() && !keyLog.file().isEmpty()
                ? new KeyLogFile(Path.of(keyLog.file())) : null);
    }

    /** Component "tlsListener" (liveness). */
    @Bean
    HealthIndicator tlsListenerHealthIndicator(ProxyServer server, ProxyProperties properties) {
        return ProxyHealthIndicators.listener(server, properties);
    }

    /** Component "upstreams" (its own group; never liveness). */
    @Bean
    HealthIndicator upstreamsHealthIndicator(ProxyServer server, ProxyProperties properties) {
        return ProxyHealthIndicators.upstreams(server, properties);
    }

    /** Each route's certificate, for expiry health, {@code tls.certificate.expiry} and info. */
    @Bean
    MonitoredCertificates proxyRouteCertificates(ProxyServer server) {
        return () -> {
            if (!server.isRunning()) {
                return List.of();
            }
            List<MonitoredCertificates.Named> all = new ArrayList<>();
            ProxyRoutes routes = server.routes();
            List<ProxyRoute> each = new ArrayList<>(routes.routes());
            if (routes.defaultRoute() != null) {
                each.add(routes.defaultRoute());
            }
            for (ProxyRoute route : each) {
                List<Identity> identities = route.engine().config().identities();
                for (Identity identity : identities) {
                    X509Certificate leaf = identity.chain().get(0);
                    // a route may hold one certificate per key type (RSA and ECDSA): the name tells them apart
                    all.add(new MonitoredCertificates.Named("route:" + route.name()
                            + (identities.size() > 1 ? ":" + leaf.getPublicKey().getAlgorithm() : ""), leaf));
                }
            }
            return all;
        };
    }

    /** The proxy's meters: connections, bytes, upstream errors, and {@code tls.sessions.active{source=proxy}}. */
    @Bean
    MeterBinder proxyMeters(ProxyConnections connections) {
        return registry -> {
            Gauge.builder("proxy.connections.active", connections, ProxyConnections::openCount)
                    .description("Open client connections").register(registry);
            Gauge.builder("tls.sessions.active", connections, c -> c.relaying())
                    .description("Sessions held: API sessions in the repository, proxy connections relaying")
                    .tag("source", "proxy").register(registry);
            for (ProxyConnections.Counter counter : ProxyConnections.Counter.values()) {
                if (counter == ProxyConnections.Counter.UPSTREAM_FAILURES) {
                    continue;
                }
                FunctionCounter.builder("proxy.connections", connections, c -> c.get(counter))
                        .description("Client connections by what happened to them (accepted, closed, refused, ...)")
                        .tag("outcome", counter.label).register(registry);
            }
            FunctionCounter.builder("proxy.upstream.errors", connections,
                            c -> c.get(ProxyConnections.Counter.UPSTREAM_FAILURES))
                    .description("Upstream connects that failed or upstreams that closed unexpectedly").register(registry);
            for (String direction : List.of("from_client", "to_client", "to_upstream", "from_upstream")) {
                FunctionCounter.builder("proxy.bytes", connections, c -> c.bytes(direction))
                        .description("Bytes relayed: TLS bytes from/to clients, plaintext to/from upstreams")
                        .baseUnit("bytes").tag("direction", direction).register(registry);
            }
        };
    }

    @Bean
    ProxyServer proxyServer(ProxyProperties properties, ServiceIdentity serviceIdentity, SslBundles bundles,
                            Environment environment, ProxyConnections connections, RotatingTicketKeys tickets,
                            Tls12SessionCaches sessionCaches) {
        CryptoProvider crypto = CryptoProviders.preferred();
        // the key log needs the engine to reveal its secrets; nothing else does
        boolean revealSecrets = connections.keyLog() != null;
        // resolved at start: the embedded default's upstream is our own HTTP port, known once the web server listens
        ProxyServer server = new ProxyServer(properties,
                () -> routes(properties, serviceIdentity, bundles, environment, crypto, revealSecrets,
                        new Resumption(tickets.current(), tickets.lifetimeSeconds(), sessionCaches.proxy())), connections);
        watchBundles(properties, bundles, server);
        // every route issues and opens tickets with the replicas' shared keys; a rotation applies to new connections
        tickets.onChange(keys -> server.reloadRoutes("the ticket keys rotated"));
        return server;
    }

    /**
     * What route engines resume sessions with: the session-ticket keys, the lifetime their tickets (and cached
     * sessions) get, and the service's TLS 1.2 session-id cache, which outlives the routes: they are rebuilt whenever
     * the ticket keys rotate or a bundle changes, and a cache of their own would forget every session id each time.
     *
     * @param sessionCache null: each route engine gets a cache of its own (tests without the service)
     */
    record Resumption(TicketKeys keys, long lifetimeSeconds, SessionCache sessionCache) {
        static final Resumption NONE = new Resumption(TicketKeys.none(), 7200, null);
    }

    /** Certificate rotation: when a route's SSL bundle (key or trust) is updated, the routes are rebuilt. */
    static void watchBundles(ProxyProperties properties, SslBundles bundles, ProxyServer server) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.List<ProxyProperties.Route> all = new ArrayList<>(properties.routes());
        if (properties.defaultRoute() != null) {
            all.add(properties.defaultRoute());
        }
        for (ProxyProperties.Route route : all) {
            if (!route.bundle().isEmpty()) {
                names.add(route.bundle());
            }
            if (!route.trustBundle().isEmpty()) {
                names.add(route.trustBundle());
            }
        }
        for (String name : names) {
            bundles.addBundleUpdateHandler(name, updated -> server.reloadRoutes("an SSL bundle was updated"));
        }
    }

    @Bean
    ProxyConnectionsEndpoint proxyConnectionsEndpoint(ProxyServer server, ProxyConnections connections) {
        return new ProxyConnectionsEndpoint(server, connections);
    }

    static ProxyRoutes routes(ProxyProperties properties, ServiceIdentity serviceIdentity, SslBundles bundles,
                              Environment environment, CryptoProvider crypto) {
        return routes(properties, serviceIdentity, bundles, environment, crypto, false, Resumption.NONE);
    }

    static ProxyRoutes routes(ProxyProperties properties, ServiceIdentity serviceIdentity, SslBundles bundles,
                              Environment environment, CryptoProvider crypto, boolean revealSecrets, Resumption resumption) {
        List<ProxyRoute> routes = new ArrayList<>();
        for (ProxyProperties.Route route : properties.routes()) {
            routes.add(resolve(route, serviceIdentity, bundles, environment, crypto, revealSecrets, resumption));
        }
        ProxyProperties.Route defaultRoute = properties.defaultRoute();
        if (defaultRoute == null && routes.isEmpty()) {
            // the embedded default: the generated (or configured) service certificate in front of our own REST API
            defaultRoute = new ProxyProperties.Route("embedded", List.of(), "", "", "", null, List.of(), false);
        }
        return new ProxyRoutes(routes,
                defaultRoute == null ? null
                        : resolve(defaultRoute, serviceIdentity, bundles, environment, crypto, revealSecrets, resumption));
    }

    private static ProxyRoute resolve(ProxyProperties.Route route, ServiceIdentity serviceIdentity, SslBundles bundles,
                                      Environment environment, CryptoProvider crypto, boolean revealSecrets,
                                      Resumption resumption) {
        Identity identity = route.bundle().isEmpty() ? serviceIdentity.identity()
                : CertificateConfiguration.identityOf(bundles.getBundle(route.bundle()));
        List<X509Certificate> anchors = route.trustBundle().isEmpty() ? serviceIdentity.trustAnchors()
                : CertificateConfiguration.trustAnchors(bundles.getBundle(route.trustBundle()));
        ProxyRoute.HostPort upstream = route.upstream().isEmpty()
                ? new ProxyRoute.HostPort("127.0.0.1", ownHttpPort(environment))
                : ProxyRoute.parseUpstream(route.upstream());
        return new ProxyRoute(route.name(), route.serverNames(),
                engine(identity, anchors, route, crypto, revealSecrets, resumption),
                upstream.host(), upstream.port(), route.proxyProtocol());
    }

    static TlsEngine engine(Identity identity, List<X509Certificate> anchors, ProxyProperties.Route route,
                            CryptoProvider crypto) {
        return engine(identity, anchors, route, crypto, false, Resumption.NONE);
    }

    static TlsEngine engine(Identity identity, List<X509Certificate> anchors, ProxyProperties.Route route,
                            CryptoProvider crypto, boolean revealSecrets, Resumption resumption) {
        TlsConfig.Builder config = TlsConfig.server()
                .identity(identity)
                .trustAnchors(anchors)
                .clientAuth(route.clientAuth())
                .applicationProtocols(route.alpn())
                // client-initiated renegotiation costs us a full handshake per request (CVE-2011-1473); a proxy
                // never needs it
                .maxRenegotiations(0)
                .revealSecrets(revealSecrets)
                .ticketKeys(resumption.keys())
                .ticketLifetimeSeconds(resumption.lifetimeSeconds())
                // every route and the relay API share the ticket keys (and the routes a session cache): the route's
                // name keeps its sessions its own, beside its certificate and client-auth policy; it is the same on
                // every replica, so a route's tickets still resume across replicas
                .resumptionContextLabel("proxy route " + route.name());
        if (route.recordPadding() > 0) {
            config.recordPadding(RecordPadding.toMultipleOf(route.recordPadding()));
        }
        if (resumption.sessionCache() != null) {
            config.sessionCache(resumption.sessionCache());
        }
        return new TlsEngine(config.build(), crypto);
    }

    private static int ownHttpPort(Environment environment) {
        Integer local = environment.getProperty("local.server.port", Integer.class);
        if (local != null && local > 0) {
            return local;
        }
        return environment.getProperty("server.port", Integer.class, 8080);
    }
}
