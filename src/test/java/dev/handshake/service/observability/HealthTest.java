package dev.handshake.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import dev.handshake.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Health over HTTP on the management port, with everything wrong at once that must not take the process down: an
 * expired certificate, an unreachable upstream, and (after one session) a full session store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "handshake.session.max-sessions=1",
        "handshake.proxy.default-route.name=backend"})
class HealthTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /**
     * The unreachable upstream's port: bound for the whole class but never listening, so a connection to it is refused
     * and no other process (a parallel build picking a free port) can start listening there meanwhile. A port freed
     * by closing a socket could be taken, and this test then failed now and then.
     */
    static Socket unreachable;

    @DynamicPropertySource
    static void unreachableUpstream(DynamicPropertyRegistry registry) throws Exception {
        unreachable = new Socket();
        unreachable.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int upstream = unreachable.getLocalPort();
        registry.add("handshake.proxy.default-route.upstream", () -> "127.0.0.1:" + upstream);
    }

    @AfterAll
    static void releaseUnreachablePort() throws Exception {
        if (unreachable != null) {
            unreachable.close();
        }
    }

    @TestConfiguration
    static class ExpiredCertificate {
        @Bean
        MonitoredCertificates expiredForTest() {
            return () -> List.of(new MonitoredCertificates.Named("route:legacy", TestPki.expiredServer().leaf()));
        }
    }

    record Answer(int status, JsonNode json) {
    }

    Answer health(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + managementPort + "/actuator/health" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), ApiCalls.JSON.readTree(response.body()));
    }

    @Test
    void expiredCertificateTurnsHealthDownWithItsDetails() throws Exception {
        Answer health = health("");
        assertThat(health.status()).isEqualTo(503);
        JsonNode certificates = health.json().get("components").get("certificates");
        assertThat(certificates.get("status").asString()).isEqualTo("DOWN");
        JsonNode expired = certificates.get("details").get("route:legacy");
        assertThat(expired.get("validity").asString()).isEqualTo("expired");
        assertThat(expired.get("daysLeft").asLong()).isNegative();
        assertThat(expired.get("warningThresholdDays").asLong()).isEqualTo(30);
        assertThat(expired.get("subject").asString()).isNotBlank();
        JsonNode service = certificates.get("details").get("service");
        assertThat(service.get("validity").asString()).isEqualTo("valid");
    }

    @Test
    void unreachableUpstreamShowsInItsGroupWithoutFailingLiveness() throws Exception {
        Answer dependencies = health("/dependencies");
        assertThat(dependencies.status()).isEqualTo(503);
        JsonNode backend = dependencies.json().get("components").get("upstreams").get("details").get("backend");
        assertThat(backend.get("reachable").asBoolean()).isFalse();

        Answer liveness = health("/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
        assertThat(liveness.json().get("components").has("upstreams")).isFalse();
        JsonNode listener = liveness.json().get("components").get("tlsListener");
        assertThat(listener.get("details").get("bound").asBoolean()).isTrue();
        assertThat(listener.get("details").get("accepting").asBoolean()).isTrue();
    }

    @Test
    void fullInMemoryRepositoryTakesReadinessOutOfServiceButNotLiveness() throws Exception {
        ApiCalls api = new ApiCalls(port);
        var created = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}");
        try {
            Answer readiness = health("/readiness");
            assertThat(readiness.status()).isEqualTo(503);
            JsonNode repository = readiness.json().get("components").get("sessionRepository");
            assertThat(repository.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(repository.get("details").get("sessions").asInt()).isEqualTo(1);
            assertThat(repository.get("details").get("limit").asInt()).isEqualTo(1);
            assertThat(health("/liveness").status()).isEqualTo(200);
        } finally {
            api.send("DELETE", "/api/v1/sessions/" + created.json().get("id").asString(), null, null);
        }
        assertThat(health("/readiness").status()).isEqualTo(200);
    }
}
