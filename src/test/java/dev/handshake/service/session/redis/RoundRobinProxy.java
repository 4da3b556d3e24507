package dev.handshake.service.session.redis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer that is not sticky at all: every HTTP request goes to the next replica in turn, whatever connection
 * it came on. It records which replica served which request, so a test can show that a handshake really moved.
 */
final class RoundRobinProxy implements AutoCloseable {

    private static final List<String> FORWARDED = List.of("Content-Type", "Accept", "If-Match");
    private static final List<String> RETURNED = List.of("Content-Type", "ETag", "Retry-After", "Location");

    private final HttpServer server;
    private final List<Integer> replicas;
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> served = new CopyOnWriteArrayList<>();

    RoundRobinProxy(List<Integer> replicaPorts) throws IOException {
        this.replicas = List.copyOf(replicaPorts);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::forward);
        server.start();
    }

    URI uri() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        int index = Math.floorMod(next.getAndIncrement(), replicas.size());
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://localhost:" + replicas.get(index) + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            served.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().replaceAll(
                    "/sessions/[^/]+", "/sessions/{id}") + " -> " + (char) ('A' + index));
            for (String name : RETURNED) {
                response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
            }
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
