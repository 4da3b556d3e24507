package dev.handshake.service.session.redis;

import dev.handshake.service.ApiCalls;
import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.testing.TestRedis;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One application instance on a random port, as a replica behind a load balancer would run it: the Redis session
 * store, the shared encryption key, and a key prefix of the test's own (so test classes sharing one Redis never see
 * each other's values).
 */
final class Replica implements AutoCloseable {

    /** A fixed test key: every replica of a test must hold the same one, as in production. */
    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    final ConfigurableApplicationContext context;
    final int port;
    final ApiCalls api;
    /** Actuator, on the management port (issue 6). */
    final ApiCalls management;

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.api = new ApiCalls(port);
        this.management = new ApiCalls(Integer.parseInt(context.getEnvironment().getProperty("local.management.port")));
    }

    static Replica start(TestRedis redis, String keyPrefix, String... extra) {
        return start(redis, keyPrefix, null, extra);
    }

    /** With {@code clock} (non-null) as the service's clock, so a test can move the replica's time. */
    static Replica start(TestRedis redis, String keyPrefix, java.time.Clock clock, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "handshake.session.store=redis",
                "handshake.session.redis.key-prefix=" + keyPrefix,
                "handshake.session.encryption.keys.k1=" + KEY,
                "handshake.session.encryption.current-key-id=k1",
                "handshake.session.retry-after=3s",
                "management.endpoint.health.show-components=always",
                "spring.data.redis.timeout=1s",
                "spring.data.redis.connect-timeout=1s"));
        properties.addAll(redis.springProperties());
        properties.addAll(List.of(extra));
        // a repeated property would be joined ("k1,k2"), not overridden: the last one given wins
        java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
        properties.forEach(p -> byName.put(p.substring(0, p.indexOf('=')), p));
        // as command-line arguments: default properties would lose to application.yml (server.port: 8080)
        SpringApplicationBuilder application = new SpringApplicationBuilder(HandshakeServiceApplication.class);
        if (clock != null) {
            // registered before the bean definitions load: the application's own Clock bean backs off
            application.initializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        }
        return new Replica(application.run(byName.values().stream().map(p -> "--" + p).toArray(String[]::new)));
    }

    String base() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() {
        context.close();
    }
}
