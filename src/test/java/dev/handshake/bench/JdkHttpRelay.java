package dev.handshake.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The relay API over the JDK's {@link HttpClient} (HTTP/1.1, pooled keep-alive connections), as RelayClient uses it. */
final class JdkHttpRelay extends HttpRelay {

    private final HttpClient http;
    private final URI base;

    JdkHttpRelay(HttpClient http, URI base, String version, boolean jsonStart) {
        super(version, jsonStart);
        this.http = http;
        this.base = base;
    }

    @Override
    Response exchange(String method, String path, String contentType, byte[] body, String ifMatch) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType).header("Accept", contentType);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Location").orElse(null), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
