package dev.handshake.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * {@link HttpTransport} over {@link HttpURLConnection}, with {@code TCP_NODELAY} (which the JDK sets). The body is
 * buffered and written right after the head: two {@code write}s, two TCP segments back to back (strace and tshark,
 * docs/benchmarks-api.md), which measured no slower than one. Reading each answer to its end hands the connection
 * back to the JDK's keep-alive cache (at most {@code http.maxConnections} idle connections per host, 5 by default).
 *
 * <p>The JDK resends a POST once when a kept-alive connection turns out to be closed before any answer
 * ({@code sun.net.http.retryPost}, on by default). A resent flight carries the same {@code If-Match}, so it can never
 * advance a session twice: at worst it is answered 409; a resent start leaves an unused session that expires.
 */
final class UrlConnectionTransport implements HttpTransport {

    static final UrlConnectionTransport INSTANCE = new UrlConnectionTransport();
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private UrlConnectionTransport() {
    }

    @Override
    public Response exchange(String method, URI uri, String contentType, byte[] body, String ifMatch)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setUseCaches(false);
        if (contentType != null) {
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty("Accept", contentType);
        }
        if (ifMatch != null) {
            connection.setRequestProperty("If-Match", ifMatch);
        }
        if (body != null) {
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        byte[] bytes;
        if (answer == null) {
            bytes = new byte[0];
        } else {
            try (InputStream in = answer) {
                bytes = in.readAllBytes();
            }
        }
        return new Response(status, connection.getHeaderField("ETag"), connection.getHeaderField("Location"), bytes);
    }
}
