package dev.handshake.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document describes every operation with its errors, and Swagger UI is served. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void documentsEveryOperationWithItsProblemResponses() throws Exception {
        ApiCalls api = new ApiCalls(port);
        ApiCalls.Answer docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.write(java.nio.file.Path.of("target/openapi.json"), docs.bytes());
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.get("/api/v1/sessions").get("post").get("responses").propertyNames())
                .contains("201", "400", "413", "503");
        assertThat(paths.get("/api/v1/sessions/{id}").get("get").get("responses").propertyNames()).contains("200", "404");
        assertThat(paths.get("/api/v1/sessions/{id}").get("delete").get("responses").propertyNames())
                .contains("200", "204", "404");
        JsonNode flights = paths.get("/api/v1/sessions/{id}/flights").get("post");
        assertThat(flights.get("requestBody").get("content").propertyNames())
                .contains("application/octet-stream", "application/json");
        assertThat(flights.get("responses").propertyNames()).contains("200", "400", "404", "409", "413", "415");
        assertThat(paths.get("/api/v1/sessions/{id}/steps").get("post").get("responses").propertyNames())
                .contains("200", "400", "404", "409");
        assertThat(docs.text()).contains("application/problem+json").contains("https://handshake.dev/problems/");
        JsonNode schemas = docs.json().get("components").get("schemas");
        assertThat(schemas.propertyNames()).contains("CreateSessionRequest", "SessionView", "FlightResponse", "StepResponse");

        assertThat(paths.get("/api/v1/sessions/{id}/capture").get("get").get("responses").propertyNames())
                .contains("200", "404");
        // Swagger UI shows the description: it links to the ladder page, which is served at /
        assertThat(docs.json().get("info").get("description").asString()).contains("[ladder-diagram page](/)");
        assertThat(api.get("/").text()).contains("<title>handshake-service: see the handshake</title>");

        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
