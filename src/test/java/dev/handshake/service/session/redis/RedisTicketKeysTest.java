package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.resumption.TicketProperties;
import dev.handshake.service.session.SessionIds;
import dev.handshake.testing.ManualClock;
import dev.handshake.testing.TestRedis;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.crypto.CryptoProviders;
import io.lettuce.core.ClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

/**
 * Ticket keys in a real Redis: replicas rotating at the same instant agree on one key per period, the keys are sealed
 * at rest and expire, and an outage neither throws nor keeps a key past its schedule.
 */
class RedisTicketKeysTest {

    static final Instant BOUNDARY = Instant.parse("2026-11-28T12:00:00Z");
    static final TicketProperties PROPERTIES = new TicketProperties(true, Duration.ofHours(12), Duration.ofHours(2),
            Duration.ofHours(2), Duration.ofSeconds(30));

    final AtRestEncryption encryption = new AtRestEncryption(Map.of("k1", new byte[32]), "k1",
            CryptoProviders.preferred());
    final String prefix = "tickets-" + SessionIds.next().substring(0, 8) + ":";

    @Test
    void replicasRotatingAtTheSameInstantAgreeOnOneKeySealedAndExpiringInRedis() throws Exception {
        ManualClock clock = new ManualClock(BOUNDARY.plusMillis(1));
        LettuceConnectionFactory connections = connect(TestRedis.shared());
        try {
            RedisTemplate<byte[], byte[]> redis = new RedisSessionConfiguration().sessionRedisTemplate(connections);
            int replicas = 8;
            ExecutorService pool = Executors.newFixedThreadPool(replicas);
            List<Future<TicketKeys>> results = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try {
                for (int i = 0; i < replicas; i++) {
                    RotatingTicketKeys keys = new RotatingTicketKeys(new RedisSharedSecrets(redis, encryption, prefix),
                            clock, CryptoProviders.preferred(), PROPERTIES);
                    results.add(pool.submit(() -> {
                        go.await();
                        keys.refresh();
                        return keys.current();
                    }));
                }
                go.countDown();
                TicketKeys first = results.get(0).get();
                assertThat(first.keys()).as("the new period's key and, in its grace period, the previous one")
                        .hasSize(2);
                for (Future<TicketKeys> result : results) {
                    assertThat(result.get()).isEqualTo(first);
                }

                List<byte[]> stored = new ArrayList<>();
                ScanOptions match = ScanOptions.scanOptions().match(prefix + "shared:ticket-key:*").build();
                try (Cursor<byte[]> cursor = redis.scan(match)) {
                    cursor.forEachRemaining(stored::add);
                }
                assertThat(stored).as("one value per generation, however many replicas raced").hasSize(2);
                for (byte[] key : stored) {
                    String raw = HexFormat.of().formatHex(redis.opsForValue().get(key));
                    for (TicketKeys.Key ticketKey : first.keys()) {
                        assertThat(raw).doesNotContain(HexFormat.of().formatHex(ticketKey.secret().bytes()));
                    }
                    Long ttl = redis.getExpire(key);
                    assertThat(ttl).as("%s expires", new String(key, StandardCharsets.UTF_8)).isPositive()
                            .isLessThanOrEqualTo(Duration.ofHours(14).plusSeconds(30).toSeconds());
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            connections.destroy();
        }
    }

    @Test
    void duringAnOutageTheHeldKeysServeWhileTheScheduleAllowsThenNoneUntilRedisReturns() {
        ManualClock clock = new ManualClock(BOUNDARY.plus(Duration.ofHours(6)));
        try (TestRedis own = TestRedis.startOwn()) {
            LettuceConnectionFactory connections = connect(own);
            try {
                RotatingTicketKeys keys = new RotatingTicketKeys(new RedisSharedSecrets(
                        new RedisSessionConfiguration().sessionRedisTemplate(connections), encryption, prefix),
                        clock, CryptoProviders.preferred(), PROPERTIES);
                keys.refresh();
                TicketKeys held = keys.current();
                assertThat(held.keys()).hasSize(1);

                own.stop();
                keys.refresh();
                assertThat(keys.current()).as("an outage alone changes nothing").isEqualTo(held);

                clock.set(BOUNDARY.plus(Duration.ofHours(12)).plusSeconds(60));
                keys.refresh();
                assertThat(keys.current()).as("past its period, within the grace period: still the held key")
                        .isEqualTo(held);

                clock.set(BOUNDARY.plus(Duration.ofHours(14)));
                keys.refresh();
                assertThat(keys.current().isEmpty()).as("past the grace period: no tickets rather than a stale key")
                        .isTrue();

                own.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (keys.current().isEmpty() && System.nanoTime() < deadline) {
                    keys.refresh(); // Lettuce reconnects by itself; the schedule would retry the same way
                    sleep(100);
                }
                assertThat(keys.current().keys()).hasSize(1).doesNotContainAnyElementsOf(held.keys());
            } finally {
                connections.destroy();
            }
        }
    }

    /** Like the service's client: commands fail at once while disconnected instead of waiting for a reconnect. */
    static LettuceConnectionFactory connect(TestRedis redis) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1))
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build())
                        .build());
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
