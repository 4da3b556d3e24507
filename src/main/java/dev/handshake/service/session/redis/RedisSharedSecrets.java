package dev.handshake.service.session.redis;

import dev.handshake.service.session.SessionStoreUnavailableException;
import dev.handshake.service.session.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

/**
 * {@link SharedSecrets} in Redis: each value sealed by {@link AtRestEncryption} with its name as associated data, under
 * {@code prefix + "shared:" + name}, with no TTL unless the caller gives the value a lifetime. Creation is
 * {@code SET NX} (with {@code PX} for a lifetime, in the same command): of two replicas creating at once, the first
 * store wins and the other reads the winner's value back. A value sealed with an older key is re-sealed with the
 * current one when read ({@code SET XX KEEPTTL}: its expiry stays), so a retired key can be removed; a value no
 * configured key opens is replaced (WARN).
 *
 * <p>Values are read on first use and then held by their callers, so Redis is on no request's path once warm.
 */
public final class RedisSharedSecrets implements SharedSecrets {

    private static final Logger log = LoggerFactory.getLogger(RedisSharedSecrets.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final RedisTemplate<byte[], byte[]> redis;
    private final AtRestEncryption encryption;
    private final String keyPrefix;
    private final AtomicBoolean unreachable = new AtomicBoolean();

    public RedisSharedSecrets(RedisTemplate<byte[], byte[]> redis, AtRestEncryption encryption, String keyPrefix) {
        this.redis = redis;
        this.encryption = encryption;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public byte[] getOrCreate(String name, Duration lifetime, Supplier<byte[]> initial) {
        try {
            byte[] value = readOrCreate(name, lifetime, initial);
            if (unreachable.compareAndSet(true, false)) {
                log.info("Redis reachable again for shared secrets");
            }
            return value;
        } catch (DataAccessException | io.lettuce.core.RedisException e) {
            // once per outage: the ticket keys are read again every refresh interval while Redis is down
            if (unreachable.compareAndSet(false, true)) {
                log.warn("Redis unavailable while reading shared secret '{}': {}", name, e.getClass().getSimpleName());
            }
            throw new SessionStoreUnavailableException(RETRY_AFTER_SECONDS);
        }
    }

    private byte[] readOrCreate(String name, Duration lifetime, Supplier<byte[]> initial) {
        byte[] key = (keyPrefix + "shared:" + name).getBytes(StandardCharsets.UTF_8);
        byte[] context = name.getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] stored = redis.opsForValue().get(key);
            if (stored == null) {
                byte[] value = initial.get();
                if (Boolean.TRUE.equals(set(key, encryption.seal(value, context), expiration(lifetime),
                        SetOption.SET_IF_ABSENT))) {
                    return value;
                }
                continue; // another replica stored first: read its value
            }
            try {
                byte[] value = encryption.open(stored, context);
                if (!encryption.sealedWithCurrentKey(stored)) {
                    set(key, encryption.seal(value, context), Expiration.keepTtl(), SetOption.SET_IF_PRESENT);
                }
                return value;
            } catch (AtRestEncryption.RejectedValueException e) {
                log.warn("Shared secret '{}' cannot be opened with the configured keys ({}); replacing it", name,
                        e.reason());
                byte[] value = initial.get();
                set(key, encryption.seal(value, context), expiration(lifetime), SetOption.UPSERT);
                return value;
            }
        }
        throw new IllegalStateException("shared secret '" + name + "' keeps disappearing between writes and reads");
    }

    private Boolean set(byte[] key, byte[] value, Expiration expiration, SetOption option) {
        return redis.execute(connection -> connection.stringCommands().set(key, value, expiration, option), true);
    }

    private static Expiration expiration(Duration lifetime) {
        return lifetime == null ? Expiration.persistent() : Expiration.from(lifetime);
    }
}
