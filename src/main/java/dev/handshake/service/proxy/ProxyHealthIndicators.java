package dev.handshake.service.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Health of the TLS listener and of the routes' upstreams. */
final class ProxyHealthIndicators {

    private ProxyHealthIndicators() {
    }

    /** Component "tlsListener": bound and accepting (below its connection limit). Part of liveness. */
    static HealthIndicator listener(ProxyServer server, ProxyProperties properties) {
        return () -> {
            if (!server.isRunning()) {
                return Health.down().withDetail("bound", false).build();
            }
            int open = server.connections().openCount();
            boolean accepting = open < properties.maxConnections();
            return (accepting ? Health.up() : Health.outOfService())
                    .withDetail("bound", true)
                    .withDetail("port", server.port())
                    .withDetail("transport", server.transport())
                    .withDetail("accepting", accepting)
                    .withDetail("connections", open)
                    .withDetail("maxConnections", properties.maxConnections())
                    .build();
        };
    }

    /**
     * Component "upstreams": a TCP connect to each route's upstream (bounded by the route connect timeout, at most
     * 2 s). DOWN when any is unreachable; in its own health group, never in liveness: a dead upstream is not cured by
     * restarting the proxy.
     */
    static HealthIndicator upstreams(ProxyServer server, ProxyProperties properties) {
        return () -> {
            if (!server.isRunning()) {
                return Health.unknown().withDetail("reason", "listener not started").build();
            }
            ProxyRoutes routes = server.routes();
            List<ProxyRoute> all = new ArrayList<>(routes.routes());
            if (routes.defaultRoute() != null) {
                all.add(routes.defaultRoute());
            }
            int timeout = (int) Math.min(2000, properties.upstreamConnectTimeout().toMillis());
            boolean allUp = true;
            Map<String, Object> details = new LinkedHashMap<>();
            for (ProxyRoute route : all) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("upstream", route.upstreamHost() + ":" + route.upstreamPort());
                long started = System.nanoTime();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(route.upstreamHost(), route.upstreamPort()), timeout);
                    one.put("reachable", true);
                } catch (IOException e) {
                    allUp = false;
                    one.put("reachable", false);
                    one.put("error", e.getClass().getSimpleName());
                }
                one.put("connectMillis", Duration.ofNanos(System.nanoTime() - started).toMillis());
                details.put(route.name(), one);
            }
            return (allUp ? Health.up() : Health.down()).withDetails(details).build();
        };
    }
}
