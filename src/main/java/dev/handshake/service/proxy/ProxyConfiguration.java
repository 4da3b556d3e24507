package dev.handshake.service.proxy;

import dev.handshake.service.certificate.CertificateConfiguration;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.tls.Identity;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
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
    ProxyConnections proxyConnections() {
        return new ProxyConnections(Clock.systemUTC());
    }

    @Bean
    ProxyServer proxyServer(ProxyProperties properties, ServiceIdentity serviceIdentity, SslBundles bundles,
                            Environment environment, ProxyConnections connections) {
        CryptoProvider crypto = CryptoProviders.preferred();
        // resolved at start: the embedded default's upstream is our own HTTP port, known once the web server listens
        ProxyServer server = new ProxyServer(properties,
                () -> routes(properties, serviceIdentity, bundles, environment, crypto), connections);
        watchBundles(properties, bundles, server);
        return server;
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
            bundles.addBundleUpdateHandler(name, updated -> server.reloadRoutes());
        }
    }

    @Bean
    ProxyConnectionsEndpoint proxyConnectionsEndpoint(ProxyServer server, ProxyConnections connections) {
        return new ProxyConnectionsEndpoint(server, connections);
    }

    static ProxyRoutes routes(ProxyProperties properties, ServiceIdentity serviceIdentity, SslBundles bundles,
                              Environment environment, CryptoProvider crypto) {
        List<ProxyRoute> routes = new ArrayList<>();
        for (ProxyProperties.Route route : properties.routes()) {
            routes.add(resolve(route, serviceIdentity, bundles, environment, crypto));
        }
        ProxyProperties.Route defaultRoute = properties.defaultRoute();
        if (defaultRoute == null && routes.isEmpty()) {
            // the embedded default: the generated (or configured) service certificate in front of our own REST API
            defaultRoute = new ProxyProperties.Route("embedded", List.of(), "", "", "", null, List.of(), false);
        }
        return new ProxyRoutes(routes,
                defaultRoute == null ? null : resolve(defaultRoute, serviceIdentity, bundles, environment, crypto));
    }

    private static ProxyRoute resolve(ProxyProperties.Route route, ServiceIdentity serviceIdentity, SslBundles bundles,
                                      Environment environment, CryptoProvider crypto) {
        Identity identity = route.bundle().isEmpty() ? serviceIdentity.identity()
                : CertificateConfiguration.identityOf(bundles.getBundle(route.bundle()));
        List<X509Certificate> anchors = route.trustBundle().isEmpty() ? serviceIdentity.trustAnchors()
                : CertificateConfiguration.trustAnchors(bundles.getBundle(route.trustBundle()));
        ProxyRoute.HostPort upstream = route.upstream().isEmpty()
                ? new ProxyRoute.HostPort("127.0.0.1", ownHttpPort(environment))
                : ProxyRoute.parseUpstream(route.upstream());
        return new ProxyRoute(route.name(), route.serverNames(), engine(identity, anchors, route, crypto),
                upstream.host(), upstream.port(), route.proxyProtocol());
    }

    static TlsEngine engine(Identity identity, List<X509Certificate> anchors, ProxyProperties.Route route,
                            CryptoProvider crypto) {
        TlsConfig config = TlsConfig.server()
                .identity(identity)
                .trustAnchors(anchors)
                .clientAuth(route.clientAuth())
                .applicationProtocols(route.alpn())
                // client-initiated renegotiation costs us a full handshake per request (CVE-2011-1473); a proxy
                // never needs it
                .maxRenegotiations(0)
                .build();
        return new TlsEngine(config, crypto);
    }

    private static int ownHttpPort(Environment environment) {
        Integer local = environment.getProperty("local.server.port", Integer.class);
        if (local != null && local > 0) {
            return local;
        }
        return environment.getProperty("server.port", Integer.class, 8080);
    }
}
