package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.relay.RelayApiTestAccess;
import dev.handshake.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis commands per relay connection, as Redis's {@code MONITOR} reports them on a Redis of the test's own: each
 * command the service sends (not those a Lua script runs inside Redis) is one round trip on the request path, the cost
 * docs/benchmarks-redis.md measures. The count is a
 * contract: a change that adds a round trip fails here and must say why.
 */
class RedisRoundTripsTest {

    static TestRedis redis;
    static Replica replica;

    @BeforeAll
    static void start() {
        redis = TestRedis.startOwn();
        // no scheduled ticket-key refresh inside the measurement
        // a first command on a loaded machine can take over the default test timeout of 1 s
        replica = Replica.start(redis, "trips:", "handshake.tickets.refresh-interval=1h",
                "spring.data.redis.timeout=5s");
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aTls12RelayConnectionOnOneReplicaCostsFourRedisRoundTrips() throws Exception {
        LocalCertificateAuthority ca = replica.context.getBean(LocalCertificateAuthority.class);
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create(replica.base());
        String suite = "TLS_RSA_WITH_AES_128_GCM_SHA256";
        try (RelayClient warm = RelayClient.connect(http, base, RelayApiTestAccess.jdkClient(ca, suite), "{}")) {
            assertThat(warm.session().getCipherSuite()).isEqualTo(suite); // loads the scripts into Redis once
        }
        Map<String, Long> used;
        int connections = 5;
        try (RedisMonitor monitor = RedisMonitor.attach(redis)) {
            for (int i = 0; i < connections; i++) {
                // create with the ClientHello, one flight, close_notify, DELETE: what RedisRelayBenchmark does
                try (RelayClient tls = RelayClient.connect(http, base, RelayApiTestAccess.jdkClient(ca, suite), "{}")) {
                    assertThat(tls.session().getCipherSuite()).isEqualTo(suite);
                }
            }
            used = monitor.clientCommands();
        }
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("Redis commands for %d connections: %s", connections, used).isEqualTo(4L * connections);
    }
}
