package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** At its bound the store refuses new sessions with 503 and Retry-After, and leaves existing ones alone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"handshake.session.max-sessions=3", "handshake.session.retry-after=7s"})
class StoreFullTest {

    @LocalServerPort
    int port;

    @Test
    void fullStoreAnswers503WithRetryAfterAndKeepsExistingSessions() {
        ApiCalls api = new ApiCalls(port);
        String first = null;
        for (int i = 0; i < 3; i++) {
            ApiCalls.Answer created = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}");
            assertThat(created.status()).isEqualTo(201);
            first = first == null ? created.json().get("id").asString() : first;
        }
        ApiCalls.Answer refused = api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.retryAfter()).isEqualTo("7");
        assertThat(refused.json().get("type").asString()).endsWith("/store-full");
        assertThat(api.get("/api/v1/sessions/" + first).status()).isEqualTo(200);

        assertThat(api.send("DELETE", "/api/v1/sessions/" + first, null, null).status()).isEqualTo(200);
        assertThat(api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").status()).isEqualTo(201);
    }
}
