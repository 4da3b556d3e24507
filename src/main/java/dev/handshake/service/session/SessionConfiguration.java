package dev.handshake.service.session;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The session store (in memory by default) and its expiry sweep. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SessionProperties.class)
class SessionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    CryptoProvider cryptoProvider() {
        return CryptoProviders.preferred();
    }

    @Bean
    @ConditionalOnMissingBean(SessionRepository.class)
    InMemorySessionRepository inMemorySessionRepository(SessionProperties properties, Clock clock) {
        return new InMemorySessionRepository(properties, clock);
    }

    /** One daemon thread runs the incremental sweep; each run visits at most sweepBatch entries. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sessionSweeper(SessionRepository repository, SessionProperties properties) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        if (repository instanceof InMemorySessionRepository memory) {
            long period = properties.sweepInterval().toMillis();
            executor.scheduleWithFixedDelay(() -> {
                try {
                    memory.sweep();
                } catch (RuntimeException e) {
                    // a failed sweep must not cancel the schedule; the next run retries
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
        return executor;
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
