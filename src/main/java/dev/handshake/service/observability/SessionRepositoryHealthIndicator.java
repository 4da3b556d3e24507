package dev.handshake.service.observability;

import dev.handshake.service.session.InMemorySessionRepository;
import dev.handshake.service.session.SessionProperties;
import dev.handshake.service.session.SessionRepository;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The session repository: for the in-memory store, sessions held against the limit. A full store refuses new sessions
 * (503 store-full), so it reports OUT_OF_SERVICE and readiness takes the instance out of rotation until sessions
 * expire.
 *
 * <p>For the Redis store this indicator reports only the type: Redis reachability is the Redis branch's own
 * {@code redis} indicator (RedisSessionConfiguration), which the readiness group includes when it exists.
 */
final class SessionRepositoryHealthIndicator implements HealthIndicator {

    private final SessionRepository repository;
    private final SessionProperties properties;

    SessionRepositoryHealthIndicator(SessionRepository repository, SessionProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!(repository instanceof InMemorySessionRepository)) {
            return Health.up().withDetail("type", repository.getClass().getSimpleName()).build();
        }
        int used = repository.size();
        int limit = properties.maxSessions();
        Health.Builder builder = used >= limit ? Health.status(Status.OUT_OF_SERVICE) : Health.up();
        return builder.withDetail("type", "memory")
                .withDetail("sessions", used)
                .withDetail("limit", limit)
                .withDetail("usagePercent", limit == 0 ? 100 : Math.round(100.0 * used / limit))
                .build();
    }
}
