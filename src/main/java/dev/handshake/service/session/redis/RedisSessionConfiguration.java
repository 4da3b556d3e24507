package dev.handshake.service.session.redis;

import dev.handshake.service.session.SessionProperties;
import dev.handshake.service.session.SessionStoreProperties;
import dev.handshake.tls.crypto.CryptoProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The Redis session store, selected by {@code handshake.session.store=redis}. Without it none of these beans exist:
 * Spring Boot's Redis connection factory is still defined but never connects, and its health indicator is switched
 * off in application.yml ({@code management.health.redis.enabled=false}, STACK.md trap 4), so health stays UP with
 * no Redis anywhere. With it, the {@code redis} health indicator here reports Redis's state.
 *
 * <p>No encryption key configured is a start failure, not a generated key: replicas with keys of their own would each
 * see the others' sessions as tampered with (404s that look like attacks), and every restart would lose every
 * session. The error names the two properties to set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "handshake.session", name = "store", havingValue = "redis")
class RedisSessionConfiguration {

    @Bean
    AtRestEncryption atRestEncryption(SessionStoreProperties properties, CryptoProvider crypto) {
        return AtRestEncryption.from(properties.encryption(), crypto);
    }

    @Bean
    RedisTemplate<byte[], byte[]> sessionRedisTemplate(RedisConnectionFactory connections) {
        return bytesTemplate(connections);
    }

    /** Keys, values and hash fields as raw bytes: what the repository and its Lua scripts read and write. */
    static RedisTemplate<byte[], byte[]> bytesTemplate(RedisConnectionFactory connections) {
        RedisTemplate<byte[], byte[]> template = new RedisTemplate<>();
        template.setConnectionFactory(connections);
        template.setEnableDefaultSerializer(false);
        template.setKeySerializer(RedisSerializer.byteArray());
        template.setValueSerializer(RedisSerializer.byteArray());
        template.setHashKeySerializer(RedisSerializer.byteArray());
        template.setHashValueSerializer(RedisSerializer.byteArray());
        template.afterPropertiesSet();
        return template;
    }

    @Bean
    RejectedValues rejectedValues(ObjectProvider<MeterRegistry> registry) {
        return new RejectedValues(registry.getIfAvailable());
    }

    @Bean
    RedisSessionRepository redisSessionRepository(RedisTemplate<byte[], byte[]> sessionRedisTemplate,
                                                  AtRestEncryption encryption, SessionProperties properties,
                                                  SessionStoreProperties store, Clock clock, RejectedValues rejected) {
        return new RedisSessionRepository(sessionRedisTemplate, encryption, properties, clock,
                store.redis().keyPrefix(), rejected);
    }

    @Bean
    RedisSharedSecrets redisSharedSecrets(RedisTemplate<byte[], byte[]> sessionRedisTemplate,
                                          AtRestEncryption encryption, SessionStoreProperties store) {
        return new RedisSharedSecrets(sessionRedisTemplate, encryption, store.redis().keyPrefix());
    }

    /**
     * Reported as {@code redis} under /actuator/health: DOWN while Redis cannot be reached. A PING of our own rather than
     * Boot's indicator, which logs a stack trace at WARN on every probe during an outage.
     */
    @Bean
    HealthIndicator redisHealthIndicator(RedisConnectionFactory connections) {
        return () -> {
            try (RedisConnection connection = connections.getConnection()) {
                return Health.up().withDetail("ping", String.valueOf(connection.ping())).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        };
    }

    /**
     * While disconnected, refuse commands at once (503 now) instead of queueing them until the command timeout, and
     * keep reconnecting in the background, so the service recovers by itself when Redis returns.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer sessionStoreClientOptions() {
        return options -> options.autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /** Reconnect attempts back off to at most 1 s (Lettuce's default grows to 30 s: a long outage after Redis is back). */
    @Bean
    ClientResourcesBuilderCustomizer sessionStoreReconnectDelay() {
        return resources -> resources.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                java.util.concurrent.TimeUnit.MILLISECONDS));
    }
}
