package dev.handshake.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@link HttpTransport} over the JDK's {@link HttpClient}. */
final class JdkHttpClientTransport implements HttpTransport {

    private final HttpClient http;

    JdkHttpClientTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public Response exchange(String method, URI uri, String contentType, byte[] body, String ifMatch)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1).method(method,
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
