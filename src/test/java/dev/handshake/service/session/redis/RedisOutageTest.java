package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import dev.handshake.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped under a running replica, then started again: 503 problems with Retry-After and health DOWN while it is
 * gone, no crash, and recovery without a restart. Uses a redis-server of its own (stopping a shared one would break
 * other test classes).
 */
class RedisOutageTest {

    static TestRedis redis;
    static Replica replica;

    @BeforeAll
    static void start() {
        redis = TestRedis.startOwn();
        replica = Replica.start(redis, "outage:");
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void outageAnswers503AndHealthDownThenRecoversByItself() throws Exception {
        ApiCalls api = replica.api;
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        assertThat(api.get("/api/v1/sessions/" + id).status()).isEqualTo(200);

        redis.stop();
        for (ApiCalls.Answer answer : java.util.List.of(
                api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}"),
                api.get("/api/v1/sessions/" + id),
                api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", new byte[] {22, 3, 3, 0, 0}),
                api.send("DELETE", "/api/v1/sessions/" + id, null, null))) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.retryAfter()).isEqualTo("3");
            assertThat(answer.json().get("type").asString()).endsWith("/store-unavailable");
            assertThat(answer.text()).doesNotContain("Exception").doesNotContain("lettuce").doesNotContain("at dev.");
        }
        ApiCalls.Answer health = replica.management.get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(health.json().get("components").get("redis").get("status").asString()).isEqualTo("DOWN");

        redis.start(); // same port, empty (persistence is off): the old session is gone, new ones work
        long deadline = System.currentTimeMillis() + 15_000;
        ApiCalls.Answer created;
        do {
            Thread.sleep(100);
            created = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}");
        } while (created.status() != 201 && System.currentTimeMillis() < deadline);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(api.get("/api/v1/sessions/" + created.json().get("id").asString()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/sessions/" + id).status()).isEqualTo(404);
        assertThat(replica.management.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }
}
