package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import dev.handshake.service.proxy.ProxyPorts;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * The proxy never waits for Redis: engines hold the ticket keys in memory, so an established connection keeps
     * relaying, a new one completes its handshake (resuming with the held key), and a failed key refresh is logged,
     * not thrown.
     */
    @Test
    void proxyConnectionsAndTicketsLiveThroughAnOutage() throws Exception {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        int proxyPort = ProxyPorts.of(replica.context);
        java.nio.file.Path session = java.nio.file.Files.createTempFile("outage-session", ".pem");
        String request = "GET /api/v1/sessions/none HTTP/1.1\r\nHost: localhost\r\n\r\n";
        try (OpenSslProcess established = OpenSslProcess.client(proxyPort).tls13().serverName("localhost")
                .arg("-sess_out", session.toString()).start()) {
            established.expectOutput("New, TLSv1.3", Duration.ofSeconds(20));
            established.write(request);
            established.expectOutput("HTTP/1.1 404", Duration.ofSeconds(20));

            redis.stop();
            try {
                replica.context.getBean(RotatingTicketKeys.class).refresh();
                assertThat(replica.context.getBean(RotatingTicketKeys.class).current().isEmpty()).isFalse();
                // the upstream (our own API) answers a malformed id without asking Redis; the answer crosses the
                // connection that was established before the outage
                established.write(request.replace("/none", "/during-outage"));
                established.expectOutput("/api/v1/sessions/during-outage", Duration.ofSeconds(20));
                try (OpenSslProcess fresh = OpenSslProcess.client(proxyPort).tls13().serverName("localhost")
                        .arg("-sess_in", session.toString()).start()) {
                    fresh.expectOutput("Reused, TLSv1.3", Duration.ofSeconds(20));
                }
            } finally {
                redis.start();
                // leave the replica connected again for the other test
                long deadline = System.currentTimeMillis() + 15_000;
                while (replica.management.get("/actuator/health").status() != 200
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(session);
        }
    }
}
