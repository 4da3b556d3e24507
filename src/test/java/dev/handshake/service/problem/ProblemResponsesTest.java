package dev.handshake.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every kind of bad input gets its RFC 9457 problem, with its stable type and no stack trace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"handshake.session.max-flight-bytes=2048", "handshake.session.max-sessions=40"})
class ProblemResponsesTest {

    @LocalServerPort
    int port;
    ApiCalls api;

    @BeforeEach
    void setUp() {
        api = new ApiCalls(port);
    }

    static void assertProblem(ApiCalls.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).isEqualTo(ProblemKind.BASE + type);
        assertThat(answer.json().get("title").asString()).isNotBlank();
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("trace");
    }

    String relay() {
        return api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
    }

    @Test
    void unknownSessionIs404() {
        assertProblem(api.get("/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA"), 404, "session-not-found");
        assertProblem(api.get("/api/v1/sessions/not-an-id"), 404, "session-not-found");
        assertProblem(api.send("POST", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/flights", "application/octet-stream",
                new byte[] {22}), 404, "session-not-found");
        assertProblem(api.send("DELETE", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA", null, null), 404, "session-not-found");
        // a raw-records client accepts only octet-stream; it still gets the problem, not a 406
        assertProblem(api.send("POST", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/flights", "application/octet-stream",
                new byte[] {22}, "Accept", "application/octet-stream"), 404, "session-not-found");
    }

    @Test
    void wrongModeIs409() {
        assertProblem(api.postJson("/api/v1/sessions/" + relay() + "/steps", ""), 409, "wrong-mode");
        String walkthrough = api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}").json().get("id").asString();
        assertProblem(api.send("POST", "/api/v1/sessions/" + walkthrough + "/flights", "application/octet-stream",
                new byte[] {22}), 409, "wrong-mode");
    }

    @Test
    void tlsFailureIs200WithTheAlertThenWrongState() {
        String id = relay();
        byte[] garbage = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ApiCalls.Answer failed = api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", garbage);
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.bytes()).hasSize(7);
        assertThat(failed.bytes()[0]).as("an alert record").isEqualTo((byte) 21);
        assertThat(failed.bytes()[5]).as("fatal").isEqualTo((byte) 2);
        var view = api.get("/api/v1/sessions/" + id).json();
        assertThat(view.get("status").asString()).isEqualTo("FAILED");
        assertThat(view.get("failure").get("alert").asString()).isNotBlank();
        assertThat(view.get("failure").get("step").asInt()).isEqualTo(1);

        ApiCalls.Answer again = api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", garbage);
        assertProblem(again, 409, "wrong-state");
        assertThat(again.json().get("alert").asString()).isEqualTo(view.get("failure").get("alert").asString());
    }

    @Test
    void staleVersionIs409ConcurrentAdvance() {
        String id = relay();
        assertProblem(api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", new byte[] {22},
                "If-Match", "\"7\""), 409, "concurrent-advance");
    }

    @Test
    void malformedInputIs400() {
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":\"teleport\"}"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions", "{}"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":\"relay\",\"version\":\"SSLv3\"}"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":\"relay\",\"firstFlight\":\"***\"}"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\",\"walkthrough\":{\"faults\":[\"meteor\"]}}"),
                400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions",
                "{\"mode\":\"walkthrough\",\"profile\":\"MODERN\",\"walkthrough\":{\"keyExchange\":\"rsa\"}}"), 400, "malformed-request");
        // the octet-stream start: its query parameters are checked as the JSON members are
        assertProblem(api.send("POST", "/api/v1/sessions?version=SSLv3", "application/octet-stream", new byte[] {22}),
                400, "malformed-request");
        assertProblem(api.send("POST", "/api/v1/sessions?clientAuth=maybe", "application/octet-stream", new byte[] {22}),
                400, "malformed-request");
        assertProblem(api.send("POST", "/api/v1/sessions?profile=ANY", "application/octet-stream", new byte[] {22}),
                400, "malformed-request");
        String id = relay();
        assertProblem(api.postJson("/api/v1/sessions/" + id + "/flights", "{\"records\":\"@@@\"}"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions/" + id + "/flights", "[1,2"), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions/" + id + "/flights", "{}"), 400, "malformed-request");
        assertProblem(api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", new byte[] {22},
                "If-Match", "banana"), 400, "malformed-request");
        String walkthrough = api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}").json().get("id").asString();
        assertProblem(api.postJson("/api/v1/sessions/" + walkthrough + "/steps?to=12", ""), 400, "malformed-request");
        assertProblem(api.postJson("/api/v1/sessions/" + walkthrough + "/steps?to=x", ""), 400, "malformed-request");
    }

    @Test
    void oversizedFlightIs413() {
        String id = relay();
        assertProblem(api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", new byte[2049]),
                413, "flight-too-large");
        String big = java.util.Base64.getEncoder().encodeToString(new byte[4096]);
        assertProblem(api.postJson("/api/v1/sessions/" + id + "/flights", "{\"records\":\"" + big + "\"}"), 413, "flight-too-large");
        assertProblem(api.postJson("/api/v1/sessions", "{\"mode\":\"relay\",\"firstFlight\":\"" + big + "\"}"), 413,
                "flight-too-large");
        assertProblem(api.send("POST", "/api/v1/sessions", "application/octet-stream", new byte[2049]), 413,
                "flight-too-large");
        // a flight at the limit is fine (and fails as TLS, with an alert)
        assertThat(api.send("POST", "/api/v1/sessions/" + relay() + "/flights", "application/octet-stream",
                new byte[2048]).status()).isEqualTo(200);
    }

    @Test
    void otherMediaTypesAndMethodsAndPathsAreProblems() {
        String id = relay();
        assertProblem(api.send("POST", "/api/v1/sessions/" + id + "/flights", "text/plain", new byte[] {1}), 415,
                "unsupported-media-type");
        assertProblem(api.send("PUT", "/api/v1/sessions/" + id, "application/json", new byte[] {1}), 405, "method-not-allowed");
        assertProblem(api.get("/api/v1/nothing-here"), 404, "not-found");
    }
}
