package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.session.Mode;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.SessionProperties;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionRepository.Replace;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.TranscriptEntry;
import dev.handshake.testing.TestRedis;
import dev.handshake.tls.crypto.CryptoProviders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;

/** The Redis repository against a real redis-server: compare-and-set, TTLs, sealing and refusal of tampered values. */
class RedisSessionRepositoryTest {

    static LettuceConnectionFactory connections;
    static RedisTemplate<byte[], byte[]> redis;
    static final byte[] MARKER = "MASTER-SECRET-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final SessionProperties properties = new SessionProperties(10, Duration.ofSeconds(30), Duration.ofSeconds(120),
            Duration.ofMinutes(5), Duration.ofSeconds(1), 10, 65536, 48, Duration.ofSeconds(5));
    final AtRestEncryption encryption = new AtRestEncryption(Map.of("k1", new byte[32]), "k1",
            CryptoProviders.preferred());
    final String prefix = "test-" + SessionIds.next().substring(0, 8) + ":";
    final RedisSessionRepository repository = new RedisSessionRepository(redis, encryption, properties,
            Clock.systemUTC(), prefix, new RejectedValues(meters));

    @BeforeAll
    static void connect() {
        TestRedis server = TestRedis.shared();
        connections = new LettuceConnectionFactory(server.host(), server.port());
        connections.afterPropertiesSet();
        connections.start();
        redis = RedisSessionConfiguration.bytesTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    SessionRecord session(String id, Mode mode, SessionStatus status, long createdAt, long lastFlightAt) {
        return new SessionRecord(id, mode, new SessionOptions("TLSv1.2", "COMPATIBLE", null, null, null, "NONE",
                List.of(), List.of()), 0, status, List.of(MARKER),
                List.of(new TranscriptEntry(1, "client", "message_received", "client_hello (100 bytes)")), 0, null, null,
                createdAt, lastFlightAt);
    }

    SessionRecord session(String id) {
        long now = System.currentTimeMillis();
        return session(id, Mode.RELAY, SessionStatus.HANDSHAKING, now, now);
    }

    double rejected(String reason) {
        var counter = meters.find(RejectedValues.METER).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void replaceSucceedsOnlyForTheStoredVersion() {
        String id = SessionIds.next();
        repository.create(session(id));
        SessionRecord stored = repository.find(id).orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.states().get(0)).isEqualTo(MARKER);
        assertThat(repository.replace(id, 1, stored)).isEqualTo(Replace.REPLACED);
        assertThat(repository.replace(id, 1, stored)).isEqualTo(Replace.CONFLICT);
        assertThat(repository.find(id).orElseThrow().version()).isEqualTo(2);
        assertThat(repository.replace(SessionIds.next(), 1, stored)).isEqualTo(Replace.GONE);
        assertThat(repository.size()).isEqualTo(1);
        assertThat(repository.remove(id)).as("removal returns the session").get()
                .extracting(SessionRecord::version).isEqualTo(2L);
        assertThat(repository.remove(id)).isEmpty();
        assertThat(repository.find(id)).isEmpty();
    }

    @Test
    void redisHoldsNeitherTheIdNorTheStateInClear() {
        String id = SessionIds.next();
        repository.create(session(id));
        byte[] key = repository.key(id);
        assertThat(new String(key, StandardCharsets.US_ASCII)).startsWith(prefix + "session:").doesNotContain(id);
        Map<byte[], byte[]> hash = redis.<byte[], byte[]>opsForHash().entries(key);
        assertThat(hash).hasSize(2);
        hash.values().forEach(value -> assertThat(new String(value, StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(MARKER, StandardCharsets.ISO_8859_1)).doesNotContain(id));
    }

    @Test
    void ttlFollowsTheHandshakeDeadlinesAndThenTheIdleTimeout() {
        long now = System.currentTimeMillis();
        String id = SessionIds.next();
        // created 100 s ago: the total deadline (120 s) comes before the flight deadline (30 s from now)
        repository.create(session(id, Mode.RELAY, SessionStatus.HANDSHAKING, now - 100_000, now));
        assertThat(redis.getExpire(repository.key(id), java.util.concurrent.TimeUnit.MILLISECONDS))
                .isBetween(15_000L, 20_000L);
        SessionRecord established = session(id, Mode.RELAY, SessionStatus.ESTABLISHED, now - 100_000, now);
        assertThat(repository.replace(id, 1, established)).isEqualTo(Replace.REPLACED);
        assertThat(redis.getExpire(repository.key(id), java.util.concurrent.TimeUnit.MILLISECONDS))
                .isBetween(295_000L, 300_000L);
        String fresh = SessionIds.next();
        repository.create(session(fresh));
        assertThat(redis.getExpire(repository.key(fresh), java.util.concurrent.TimeUnit.MILLISECONDS))
                .isBetween(25_000L, 30_000L);
    }

    @Test
    void aSessionPastItsDeadlineExpiresInRedis() throws Exception {
        long now = System.currentTimeMillis();
        String id = SessionIds.next();
        repository.create(session(id, Mode.RELAY, SessionStatus.HANDSHAKING, now - 200_000, now));
        Thread.sleep(20);
        assertThat(repository.find(id)).isEmpty();
        assertThat(redis.hasKey(repository.key(id))).isFalse();
    }

    @Test
    void tamperedValueIsTreatedAsGoneAndCounted() {
        String id = SessionIds.next();
        repository.create(session(id));
        byte[] key = repository.key(id);
        byte[] sealed = (byte[]) redis.opsForHash().get(key, "d".getBytes(StandardCharsets.US_ASCII));
        sealed[sealed.length / 2] ^= 0x40;
        redis.opsForHash().put(key, "d".getBytes(StandardCharsets.US_ASCII), sealed);
        assertThat(repository.find(id)).isEmpty();
        assertThat(rejected("authentication")).isEqualTo(1);
    }

    @Test
    void valueCopiedFromAnotherSessionIsRejected() {
        String victim = SessionIds.next();
        String attacker = SessionIds.next();
        repository.create(session(victim));
        repository.create(session(attacker));
        byte[] d = "d".getBytes(StandardCharsets.US_ASCII);
        redis.opsForHash().put(repository.key(victim), d, redis.opsForHash().get(repository.key(attacker), d));
        assertThat(repository.find(victim)).isEmpty();
        assertThat(rejected("authentication")).isEqualTo(1);
        assertThat(repository.find(attacker)).isPresent();
    }

    @Test
    void versionFieldEditedByHandIsRejected() {
        String id = SessionIds.next();
        repository.create(session(id));
        redis.opsForHash().put(repository.key(id), "v".getBytes(StandardCharsets.US_ASCII),
                "7".getBytes(StandardCharsets.US_ASCII));
        assertThat(repository.find(id)).isEmpty();
        assertThat(rejected("version-mismatch")).isEqualTo(1);
    }

    @Test
    void valueSealedWithAKeyNoLongerConfiguredIsGoneButKept() {
        String id = SessionIds.next();
        repository.create(session(id));
        RedisSessionRepository rotated = new RedisSessionRepository(redis, new AtRestEncryption(
                Map.of("k2", new byte[16]), "k2", CryptoProviders.preferred()), properties, Clock.systemUTC(), prefix,
                new RejectedValues(meters));
        assertThat(rotated.find(id)).isEmpty();
        assertThat(rejected("unknown_key")).isEqualTo(1);
        assertThat(repository.find(id)).as("another replica that still has the key reads it").isPresent();
    }

    @Test
    void redisAtItsMemoryLimitIsAFullStoreNotAnOutage() {
        try (TestRedis own = TestRedis.startOwn()) {
            assertThat(own.command("CONFIG", "SET", "maxmemory", "2mb")).isEqualTo("+OK");
            assertThat(own.command("CONFIG", "SET", "maxmemory-policy", "noeviction")).isEqualTo("+OK");
            LettuceConnectionFactory ownConnections = new LettuceConnectionFactory(own.host(), own.port());
            ownConnections.afterPropertiesSet();
            ownConnections.start();
            try {
                RedisTemplate<byte[], byte[]> template = RedisSessionConfiguration.bytesTemplate(ownConnections);
                RedisSessionRepository small = new RedisSessionRepository(template, encryption, properties,
                        Clock.systemUTC(), prefix, new RejectedValues(meters));
                long now = System.currentTimeMillis();
                SessionRecord big = new SessionRecord("x", Mode.RELAY, session("x").options(), 0,
                        SessionStatus.HANDSHAKING, List.of(new byte[64 * 1024]), List.of(), 0, null, null, now, now);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    for (int i = 0; i < 1000; i++) {
                        String id = SessionIds.next();
                        small.create(new SessionRecord(id, big.mode(), big.options(), 0, big.status(), big.states(),
                                big.transcript(), 0, null, null, now, now));
                    }
                }).isInstanceOf(dev.handshake.service.session.SessionStoreFullException.class);
            } finally {
                ownConnections.destroy();
            }
        }
    }

    @Test
    void sharedSecretIsCreatedOnceSealedAndReadBackByEveryone() {
        RedisSharedSecrets a = new RedisSharedSecrets(redis, encryption, prefix);
        RedisSharedSecrets b = new RedisSharedSecrets(redis, encryption, prefix);
        byte[] first = a.getOrCreate("walkthrough/server", () -> MARKER);
        byte[] second = b.getOrCreate("walkthrough/server", () -> {
            throw new AssertionError("already created by a");
        });
        assertThat(second).isEqualTo(first).isEqualTo(MARKER);
        byte[] raw = redis.opsForValue().get((prefix + "shared:walkthrough/server").getBytes(StandardCharsets.UTF_8));
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(new String(MARKER, StandardCharsets.ISO_8859_1));
    }

    @Test
    void sharedSecretWithALifetimeExpiresAndKeepsItsExpiryWhenResealedUnderANewKey() {
        RedisSharedSecrets a = new RedisSharedSecrets(redis, encryption, prefix);
        a.getOrCreate("kept", () -> MARKER);
        a.getOrCreate("expiring", Duration.ofMinutes(10), () -> MARKER);
        byte[] kept = (prefix + "shared:kept").getBytes(StandardCharsets.UTF_8);
        byte[] expiring = (prefix + "shared:expiring").getBytes(StandardCharsets.UTF_8);
        assertThat(redis.getExpire(kept)).as("no lifetime: no TTL").isEqualTo(-1);
        assertThat(redis.getExpire(expiring)).isBetween(1L, 600L);

        AtRestEncryption rotated = new AtRestEncryption(Map.of("k1", new byte[32], "k2", new byte[16]), "k2",
                CryptoProviders.preferred());
        byte[] before = redis.opsForValue().get(expiring);
        assertThat(new RedisSharedSecrets(redis, rotated, prefix).getOrCreate("expiring", Duration.ofDays(1), () -> {
            throw new AssertionError("exists");
        })).isEqualTo(MARKER);
        assertThat(redis.opsForValue().get(expiring)).as("re-sealed with k2").isNotEqualTo(before);
        assertThat(redis.getExpire(expiring)).as("re-sealing keeps the expiry").isBetween(1L, 600L);
    }

    @Test
    void aReplicasOwnLastWriteAnswersOnlyForItsVersionAndTheCompareAndSetStillDecides() {
        RedisSessionRepository other = new RedisSessionRepository(redis, encryption, properties, Clock.systemUTC(),
                prefix, new RejectedValues(meters));
        String id = SessionIds.next();
        repository.create(session(id));

        // the other replica advances the session: this one's copy (version 1) is now stale
        assertThat(other.replace(id, 1, other.find(id).orElseThrow())).isEqualTo(Replace.REPLACED);
        assertThat(repository.find(id, 1)).as("a caller expecting version 1 gets our copy, without a read").get()
                .extracting(SessionRecord::version).isEqualTo(1L);
        assertThat(repository.replace(id, 1, session(id))).as("... and loses at the compare-and-set")
                .isEqualTo(Replace.CONFLICT);
        assertThat(repository.find(id, 2)).as("any other version is read from Redis").get()
                .extracting(SessionRecord::version).isEqualTo(2L);
        assertThat(repository.find(id, 1)).as("the stale copy was dropped with the conflict: Redis answers").get()
                .extracting(SessionRecord::version).isEqualTo(2L);

        // the copy is used only before the session's deadline: past it, Redis answers (here: a value it refuses)
        dev.handshake.testing.ManualClock clock = new dev.handshake.testing.ManualClock(java.time.Instant.now());
        RedisSessionRepository timed = new RedisSessionRepository(redis, encryption, properties, clock, prefix,
                new RejectedValues(meters));
        String late = SessionIds.next();
        timed.create(session(late, Mode.RELAY, SessionStatus.HANDSHAKING, clock.millis(), clock.millis()));
        byte[] field = "d".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = (byte[]) redis.opsForHash().get(timed.key(late), field);
        sealed[sealed.length - 1] ^= 1;
        redis.opsForHash().put(timed.key(late), field, sealed);
        assertThat(timed.find(late, 1)).as("before the deadline: our copy, no read").isPresent();
        clock.advance(properties.handshakeFlightTimeout());
        assertThat(timed.find(late, 1)).as("at the deadline: read from Redis, which holds a tampered value").isEmpty();
    }
}
