package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** With the default memory store nothing reaches for Redis: no Redis beans of ours, and health is UP with none running. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-components=always", "spring.data.redis.port=1"})
class MemoryStoreHealthTest {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    ApplicationContext context;

    @Test
    void memoryStoreIsTheDefaultAndHealthIsUpWithoutRedis() {
        assertThat(context.getBean(SessionRepository.class)).isInstanceOf(InMemorySessionRepository.class);
        assertThat(context.getBeansOfType(org.springframework.boot.health.contributor.HealthIndicator.class))
                .doesNotContainKey("redisHealthIndicator");
        ApiCalls api = new ApiCalls(port);
        ApiCalls.Answer health = new ApiCalls(managementPort).get("/actuator/health");
        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").has("redis")).isFalse();
        // sessions and the walkthrough's shared identities work with no Redis at all (port 1 refuses connections)
        assertThat(api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}").status()).isEqualTo(201);
    }
}
