package dev.handshake.service.session;

import dev.handshake.tls.crypto.CryptoProvider;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The session store (in memory by default) and its expiry sweep. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SessionProperties.class, SessionStoreProperties.class})
class SessionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The default store; {@code handshake.session.store=redis} selects {@code RedisSessionConfiguration}'s instead. */
    @Bean
    @ConditionalOnProperty(prefix = "handshake.session", name = "store", havingValue = "memory", matchIfMissing = true)
    InMemorySessionRepository inMemorySessionRepository(SessionProperties properties, Clock clock) {
        return new InMemorySessionRepository(properties, clock);
    }

    @Bean
    @ConditionalOnProperty(prefix = "handshake.session", name = "store", havingValue = "memory", matchIfMissing = true)
    SharedSecrets inMemorySharedSecrets(Clock clock) {
        return new InMemorySharedSecrets(clock);
    }

    /** The incremental expiry sweep (only the in-memory store needs one; Redis expires keys itself). */
    @Bean
    SessionSweeper sessionSweeper(SessionRepository repository, SessionProperties properties) {
        return new SessionSweeper(repository, properties);
    }

    @Bean
    Sessions sessions(SessionRepository repository, SessionProperties properties, Clock clock) {
        return new Sessions(repository, properties, clock);
    }

    @Bean
    SessionViews sessionViews(CryptoProvider crypto, SessionProperties properties) {
        return new SessionViews(crypto, properties);
    }
}
