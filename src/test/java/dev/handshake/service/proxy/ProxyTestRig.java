package dev.handshake.service.proxy;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Identity;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starts a {@link ProxyServer} on a free loopback port with TestPki's server certificate, without Spring. */
final class ProxyTestRig implements AutoCloseable {

    static final CryptoProvider CRYPTO = CryptoProviders.preferred();

    final ProxyServer server;
    final ProxyConnections connections = new ProxyConnections(Clock.systemUTC());

    private ProxyTestRig(ProxyProperties properties, ProxyRoutes routes) {
        server = new ProxyServer(properties, () -> routes, connections);
        server.start();
    }

    int port() {
        return server.port();
    }

    long count(ProxyConnections.Counter counter) {
        return connections.get(counter);
    }

    static Builder builder() {
        return new Builder();
    }

    static ProxyProperties.Route route(String name, List<String> names, String upstream, ClientAuth clientAuth,
                                       List<String> alpn, boolean proxyProtocol) {
        return new ProxyProperties.Route(name, names, "", "", upstream, clientAuth, alpn, proxyProtocol);
    }

    static ProxyRoute resolve(ProxyProperties.Route route) {
        return resolve(route, false);
    }

    /** With {@code ecdsaToo}, the engine holds an ECDSA identity beside the RSA one, so ECDHE_ECDSA suites work. */
    static ProxyRoute resolve(ProxyProperties.Route route, boolean ecdsaToo) {
        return resolve(route, ecdsaToo, ProxyConfiguration.Resumption.NONE);
    }

    /** With {@code resumption}, the route issues and opens tickets with those keys, as the service's routes do. */
    static ProxyRoute resolve(ProxyProperties.Route route, boolean ecdsaToo, ProxyConfiguration.Resumption resumption) {
        Identity identity = new Identity(TestPki.serverRsa().key(), TestPki.serverRsa().chain());
        ProxyRoute.HostPort upstream = ProxyRoute.parseUpstream(route.upstream());
        TlsEngine engine = ProxyConfiguration.engine(identity, List.of(TestPki.rootCa().leaf()), route, CRYPTO, false,
                resumption);
        if (ecdsaToo) {
            engine = new TlsEngine(engine.config().toBuilder()
                    .identity(new Identity(TestPki.serverEcdsa().key(), TestPki.serverEcdsa().chain())).build(), CRYPTO);
        }
        return new ProxyRoute(route.name(), route.serverNames(), engine, upstream.host(), upstream.port(),
                route.proxyProtocol());
    }

    /** Waits until the condition holds; fails after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        CountDownLatch stopped = new CountDownLatch(1);
        server.stop(stopped::countDown);
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class Builder {
        Duration handshakeTimeout = Duration.ofSeconds(10);
        Duration idleTimeout = Duration.ofSeconds(30);
        Duration connectTimeout = Duration.ofSeconds(2);
        Duration drainTimeout = Duration.ofMillis(200);
        int maxConnections = 10_000;
        boolean ecdsaToo;
        ProxyConfiguration.Resumption resumption = ProxyConfiguration.Resumption.NONE;
        final List<ProxyProperties.Route> routes = new ArrayList<>();
        ProxyProperties.Route defaultRoute;
        ProxyTransport transport = ProxyTransport.AUTO;
        Integer eventLoops;

        Builder handshakeTimeout(Duration timeout) {
            handshakeTimeout = timeout;
            return this;
        }

        Builder idleTimeout(Duration timeout) {
            idleTimeout = timeout;
            return this;
        }

        Builder drainTimeout(Duration timeout) {
            drainTimeout = timeout;
            return this;
        }

        Builder ecdsaToo() {
            ecdsaToo = true;
            return this;
        }

        /** Ticket keys and a session cache for every route, e.g. shared with another rig playing another replica. */
        Builder resumption(ProxyConfiguration.Resumption shared) {
            resumption = shared;
            return this;
        }

        Builder eventLoops(int count) {
            eventLoops = count;
            return this;
        }

        Builder transport(ProxyTransport chosen) {
            transport = chosen;
            return this;
        }

        Builder maxConnections(int max) {
            maxConnections = max;
            return this;
        }

        Builder route(ProxyProperties.Route route) {
            routes.add(route);
            return this;
        }

        /** The default route to {@code upstream}, no client auth, no ALPN, no PROXY header. */
        Builder defaultUpstream(String upstream) {
            return defaultRoute(ProxyTestRig.route("default", List.of(), upstream, ClientAuth.NONE, List.of(), false));
        }

        Builder defaultRoute(ProxyProperties.Route route) {
            defaultRoute = route;
            return this;
        }

        ProxyTestRig start() {
            ProxyProperties properties = new ProxyProperties(true, 0, "127.0.0.1", handshakeTimeout, idleTimeout,
                    connectTimeout, drainTimeout, maxConnections, null, routes, defaultRoute, transport, eventLoops);
            ProxyRoutes resolved = new ProxyRoutes(routes.stream().map(r -> resolve(r, ecdsaToo, resumption)).toList(),
                    defaultRoute == null ? null : resolve(defaultRoute, ecdsaToo, resumption));
            return new ProxyTestRig(properties, resolved);
        }
    }
}
