package dev.handshake.service.session.redis;

import dev.handshake.service.session.SessionCodec;
import dev.handshake.service.session.SessionProperties;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionRepository;
import dev.handshake.service.session.SessionStoreFullException;
import dev.handshake.service.session.SessionStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Sessions in Redis, shared by every replica: one hash per session with the compare-and-set version ({@code v}, in
 * clear, so a Lua script can compare it) and the sealed {@link SessionCodec} bytes ({@code d}, see
 * {@link AtRestEncryption}). Redis never holds a secret in clear: not the engine's master secret, traffic keys or
 * ephemeral private keys (all inside {@code d}), and not the session id either, which is the session's only credential:
 * the Redis key is {@code prefix + "session:" + base64url(SHA-256(id))}.
 *
 * <p>Compare-and-set is a Lua script (Redis runs each script atomically): it compares {@code v} with the caller's
 * expected version and only then writes {@code v+1} and the new value, so two replicas advancing one session cannot
 * both win. Expiry is Redis's own: every write sets the key's TTL to {@link SessionProperties#expiresAt} minus now,
 * the same deadlines as the in-memory store (handshake flight and total deadline; idle timeout once established), so
 * nothing sweeps.
 *
 * <p>A value that does not open (tampered with, moved under another session's key, sealed with a key no longer
 * configured) or that opens but disagrees with its version field is treated as gone (404), counted and logged without
 * the session id; it is left for its TTL rather than deleted, because during a key rollout another replica may still
 * be able to open it. A Redis that cannot be reached turns into {@link SessionStoreUnavailableException} (503).
 *
 * <p>Round trips, each one command: create 1 (script), read 1 (HMGET), compare-and-set 1 (script, which also sets the
 * TTL), remove 1 (script: read and delete). A flight whose {@code If-Match} names the version this replica wrote last
 * skips the read ({@link LastWrites}), so a relay connection whose calls stay on one replica costs 4 round trips
 * (create, flight, close_notify flight, DELETE) and one whose calls alternate replicas at most 6.
 */
public final class RedisSessionRepository implements SessionRepository {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionRepository.class);
    private static final byte[] VERSION = bytes("v");
    private static final byte[] DATA = bytes("d");

    /** Stores version 1 unless the key exists (144-bit ids: a collision means a broken random source). */
    private static final RedisScript<Long> CREATE = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """, Long.class);

    /** 1 = replaced, 0 = gone (expired or deleted), 2 = another replica stored a newer version first. */
    private static final RedisScript<Long> REPLACE = RedisScript.of("""
            local v = redis.call('HGET', KEYS[1], 'v')
            if not v then return 0 end
            if v ~= ARGV[1] then return 2 end
            redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """, Long.class);

    /** Reads and deletes in one round trip: the fields as HMGET returns them (nil when the session is gone). */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> REMOVE = RedisScript.of("""
            local fields = redis.call('HMGET', KEYS[1], 'v', 'd')
            if fields[1] then redis.call('DEL', KEYS[1]) end
            return fields
            """, List.class);

    private final RedisTemplate<byte[], byte[]> redis;
    private final AtRestEncryption encryption;
    private final SessionProperties properties;
    private final Clock clock;
    private final String keyPrefix;
    private final RejectedValues rejected;
    private final LastWrites lastWrites = new LastWrites();
    private final java.util.concurrent.atomic.AtomicBoolean reachable = new java.util.concurrent.atomic.AtomicBoolean(true);

    public RedisSessionRepository(RedisTemplate<byte[], byte[]> redis, AtRestEncryption encryption,
                                  SessionProperties properties, Clock clock, String keyPrefix, RejectedValues rejected) {
        this.redis = redis;
        this.encryption = encryption;
        this.properties = properties;
        this.clock = clock;
        this.keyPrefix = keyPrefix;
        this.rejected = rejected;
    }

    @Override
    public void create(SessionRecord session) {
        SessionRecord stored = session.withVersion(1);
        Long created = call(() -> redis.execute(CREATE, List.of(key(session.id())), bytes("1"), seal(stored),
                bytes(Long.toString(ttlMillis(stored)))));
        if (created == null || created != 1) {
            throw new IllegalStateException("session id collision"); // 144 random bits: a broken random source
        }
        lastWrites.wrote(stored, properties.expiresAt(stored));
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        return open(id, call(() -> redis.<byte[], byte[]>opsForHash().multiGet(key(id), List.of(VERSION, DATA))));
    }

    /** From this replica's own last write when it was {@code expectedVersion} (see {@link LastWrites}), else Redis. */
    @Override
    public Optional<SessionRecord> find(String id, long expectedVersion) {
        Optional<SessionRecord> written = lastWrites.at(id, expectedVersion, clock.millis());
        return written.isPresent() ? written : find(id);
    }

    /**
     * One script: the value and its removal. A value that does not open is removed too (the caller asked for it to be
     * gone) and answered as absent, counted like a rejected read.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Optional<SessionRecord> remove(String id) {
        lastWrites.forget(id);
        return open(id, call(() -> (List<byte[]>) redis.execute(REMOVE, List.of(key(id)))));
    }

    /** The session from its {@code v} and {@code d} fields, unless absent, unauthentic or inconsistent. */
    private Optional<SessionRecord> open(String id, List<byte[]> fields) {
        if (fields == null || fields.size() != 2 || fields.get(0) == null || fields.get(1) == null) {
            return Optional.empty();
        }
        byte[] plaintext;
        try {
            plaintext = encryption.open(fields.get(1), bytes(id));
        } catch (AtRestEncryption.RejectedValueException e) {
            rejected.rejected(e.reason().name().toLowerCase(java.util.Locale.ROOT), e.keyId());
            return Optional.empty();
        }
        SessionRecord session;
        try {
            session = SessionCodec.decode(plaintext);
        } catch (RuntimeException e) {
            // authentic but undecodable: written by a newer format this replica does not know
            rejected.rejected("format", encryption.currentKeyId());
            return Optional.empty();
        }
        if (!session.id().equals(id) || !Long.toString(session.version()).equals(text(fields.get(0)))) {
            // the version field is outside the seal; one that disagrees with the sealed version was written by hand
            rejected.rejected("version-mismatch", null);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    @Override
    public Replace replace(String id, long expectedVersion, SessionRecord next) {
        SessionRecord stored = next.withVersion(expectedVersion + 1);
        Long outcome = call(() -> redis.execute(REPLACE, List.of(key(id)), bytes(Long.toString(expectedVersion)),
                bytes(Long.toString(expectedVersion + 1)), seal(stored), bytes(Long.toString(ttlMillis(stored)))));
        if (outcome != null && outcome == 1) {
            lastWrites.wrote(stored, properties.expiresAt(stored));
            return Replace.REPLACED;
        }
        lastWrites.forget(id); // another replica wrote since, or the session is gone: our copy is stale
        return outcome == null || outcome == 0 ? Replace.GONE : Replace.CONFLICT;
    }

    /** Counts the session keys with SCAN: O(sessions), for tests and operators, not for a request path. */
    @Override
    public int size() {
        return call(() -> {
            int n = 0;
            ScanOptions match = ScanOptions.scanOptions().match(keyPrefix + "session:*").count(1000).build();
            try (Cursor<byte[]> cursor = redis.scan(match)) {
                while (cursor.hasNext()) {
                    cursor.next();
                    n++;
                }
            }
            return n;
        });
    }

    /** The Redis key of a session: its id hashed, so reading Redis does not hand out session credentials. */
    public byte[] key(String id) {
        return bytes(keyPrefix + "session:" + SessionIds.digest(id));
    }

    private byte[] seal(SessionRecord session) {
        return encryption.seal(SessionCodec.encode(session), bytes(session.id()));
    }

    /**
     * Milliseconds until the session expires, at least 1: a session whose deadline has passed is stored and expires at
     * once, as in the in-memory store (PEXPIRE with 0 would delete it inside the script and report it replaced).
     */
    private long ttlMillis(SessionRecord session) {
        return Math.max(1, properties.expiresAt(session) - clock.millis());
    }

    private <T> T call(Supplier<T> command) {
        try {
            T result = command.get();
            if (reachable.compareAndSet(false, true)) {
                log.info("Redis session store reachable again");
            }
            return result;
        } catch (DataAccessException | io.lettuce.core.RedisException e) {
            if (isOutOfMemory(e)) {
                // Redis at its maxmemory (with noeviction) refuses writes: the store is full, as in memory
                throw new SessionStoreFullException(Math.max(1, properties.retryAfter().toSeconds()));
            }
            // one line per outage, no stack: Redis being down is an operational state, reported by health and 503s
            if (reachable.compareAndSet(true, false)) {
                log.warn("Redis session store unavailable, answering 503 until it returns: {}", describe(e));
            }
            throw new SessionStoreUnavailableException(Math.max(1, properties.retryAfter().toSeconds()));
        }
    }

    private static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("OOM ")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + (root != e ? " (" + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")" : ": " + e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
