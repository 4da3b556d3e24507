package dev.handshake.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls against the running service, answers parsed as JSON. */
public final class ApiCalls {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI base;

    public ApiCalls(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    public record Answer(int status, String contentType, String etag, String retryAfter, String location, byte[] bytes) {
        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public Answer send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.headers().firstValue("ETag").orElse(null), r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Location").orElse(null), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer postJson(String path, String json, String... headers) {
        return send("POST", path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }
}
