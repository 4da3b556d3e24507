package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.mock.env.MockEnvironment;

/** From {@code handshake.proxy.*} properties and SSL bundles to routes, and certificate rotation. */
class ProxyConfigurationTest {

    private static final Map<String, String> PROPERTIES = Map.ofEntries(
            Map.entry("handshake.proxy.port", "0"),
            Map.entry("handshake.proxy.bind-address", "127.0.0.1"),
            Map.entry("handshake.proxy.handshake-timeout", "3s"),
            Map.entry("handshake.proxy.routes[0].server-names[0]", "API.test"),
            Map.entry("handshake.proxy.routes[0].server-names[1]", "*.apps.test"),
            Map.entry("handshake.proxy.routes[0].bundle", "api"),
            Map.entry("handshake.proxy.routes[0].upstream", "127.0.0.1:9001"),
            Map.entry("handshake.proxy.routes[0].client-auth", "required"),
            Map.entry("handshake.proxy.routes[0].alpn[0]", "http/1.1"),
            Map.entry("handshake.proxy.routes[0].proxy-protocol", "true"),
            Map.entry("handshake.proxy.default-route.upstream", "[::1]:9002"));

    private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
    private final ServiceIdentity service = new ServiceIdentity(identity(TestPki.serverEcdsa()),
            List.of(TestPki.rootCa().leaf()), true, "generated");

    @Test
    void propertiesBindToRoutesWithBundleCertificatesAndTheServiceIdentityAsFallback() {
        bundles.registerBundle("api", bundle(TestPki.serverRsa()));
        ProxyProperties properties = bind(PROPERTIES);
        assertEquals(Duration.ofSeconds(3), properties.handshakeTimeout());

        ProxyRoutes routes = ProxyConfiguration.routes(properties, service, bundles, new MockEnvironment(),
                ProxyTestRig.CRYPTO);
        ProxyRoute api = routes.select("api.TEST");
        assertEquals("api.test", api.name());
        assertEquals(9001, api.upstreamPort());
        assertTrue(api.proxyProtocol());
        assertEquals(ClientAuth.REQUIRED, api.engine().config().clientAuth());
        assertEquals(List.of("http/1.1"), api.engine().config().applicationProtocols());
        assertEquals(TestPki.serverRsa().leaf(), api.engine().config().identities().get(0).leaf());
        assertEquals(api, routes.select("x.apps.test"));

        ProxyRoute fallback = routes.select("elsewhere.test");
        assertEquals("::1", fallback.upstreamHost());
        assertEquals(TestPki.serverEcdsa().leaf(), fallback.engine().config().identities().get(0).leaf());
        assertEquals(fallback, routes.select(null));
    }

    @Test
    void noRoutesMeansTheEmbeddedDefaultToOurOwnHttpPort() {
        ProxyRoutes routes = ProxyConfiguration.routes(ProxyProperties.defaults(), service, bundles,
                new MockEnvironment().withProperty("local.server.port", "18080"), ProxyTestRig.CRYPTO);
        ProxyRoute embedded = routes.select("anything");
        assertEquals("embedded", embedded.name());
        assertEquals(18080, embedded.upstreamPort());
        assertEquals(8443, ProxyProperties.defaults().port());
    }

    @Test
    void routesWithoutDefaultLeaveUnknownNamesUnrouted() {
        bundles.registerBundle("api", bundle(TestPki.serverRsa()));
        Map<String, String> withoutDefault = new java.util.HashMap<>(PROPERTIES);
        withoutDefault.remove("handshake.proxy.default-route.upstream");
        ProxyRoutes routes = ProxyConfiguration.routes(bind(withoutDefault), service, bundles, new MockEnvironment(),
                ProxyTestRig.CRYPTO);
        assertNull(routes.select("elsewhere.test"));
        assertNull(routes.select("a.b.apps.test"));
    }

    @Test
    void transportBindsAndDefaultsToAuto() {
        Map<String, String> chosen = new java.util.HashMap<>(PROPERTIES);
        chosen.put("handshake.proxy.transport", "io-uring");
        assertEquals(ProxyTransport.IO_URING, bind(chosen).transport());
        assertEquals(ProxyTransport.AUTO, bind(PROPERTIES).transport());
        chosen.put("handshake.proxy.transport", "kqueue");
        assertThrows(RuntimeException.class, () -> bind(chosen));
    }

    @Test
    void eventLoopsBindAndDefaultToOnePerAvailableProcessor() {
        Map<String, String> chosen = new java.util.HashMap<>(PROPERTIES);
        chosen.put("handshake.proxy.event-loops", "3");
        assertEquals(3, bind(chosen).eventLoops());
        assertEquals(Runtime.getRuntime().availableProcessors(), bind(PROPERTIES).eventLoops());
    }

    @Test
    void unusableSettingsAreRefusedAtStart() {
        Map<String, String> bad = new java.util.HashMap<>(PROPERTIES);
        bad.put("handshake.proxy.max-record-size", "70000");
        assertThrows(RuntimeException.class, () -> bind(bad));
        Map<String, String> noUpstream = new java.util.HashMap<>(PROPERTIES);
        noUpstream.remove("handshake.proxy.routes[0].upstream");
        assertThrows(RuntimeException.class, () -> bind(noUpstream));
        Map<String, String> noEventLoop = new java.util.HashMap<>(PROPERTIES);
        noEventLoop.put("handshake.proxy.event-loops", "0");
        assertThrows(RuntimeException.class, () -> bind(noEventLoop));
    }

    @Test
    void aRotatedBundleIsUsedForNewConnections() throws Exception {
        bundles.registerBundle("api", bundle(TestPki.serverRsa()));
        ProxyProperties properties = bind(PROPERTIES);
        ProxyServer server = new ProxyServer(properties, () -> ProxyConfiguration.routes(properties, service, bundles,
                new MockEnvironment(), ProxyTestRig.CRYPTO), new ProxyConnections(java.time.Clock.systemUTC()));
        ProxyConfiguration.watchBundles(properties, bundles, server);
        server.start();
        try {
            assertEquals(TestPki.serverRsa().leaf(),
                    server.routes().select("api.test").engine().config().identities().get(0).leaf());
            bundles.updateBundle("api", bundle(TestPki.serverEcdsa()));
            assertEquals(TestPki.serverEcdsa().leaf(),
                    server.routes().select("api.test").engine().config().identities().get(0).leaf());
        } finally {
            CountDownLatch stopped = new CountDownLatch(1);
            server.stop(stopped::countDown);
            assertTrue(stopped.await(10, TimeUnit.SECONDS));
        }
    }

    private static ProxyProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("handshake.proxy",
                ProxyProperties.class);
    }

    private static SslBundle bundle(TestPki.Identity identity) {
        return SslBundle.of(new PemSslStoreBundle(PemSslStore.of(identity.chain(), identity.key()), null));
    }

    private static Identity identity(TestPki.Identity identity) {
        return new Identity(identity.key(), identity.chain());
    }
}
