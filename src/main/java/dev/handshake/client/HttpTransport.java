package dev.handshake.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

/**
 * How {@link RelayClient} sends its HTTP/1.1 requests to the relay API: one request, its whole answer back, on a
 * kept-alive connection. The relay API needs only this much (a method, an octet-stream or JSON body, {@code If-Match};
 * the status, {@code ETag}, {@code Location} and body of the answer).
 *
 * <p>Two implementations ship, both keeping connections alive per host: {@link #urlConnection()}, the default, and
 * {@link #of(HttpClient)}. They send the same requests and differ in latency: on loopback to our Tomcat, an empty
 * POST takes 0.065-0.069 ms through {@code HttpURLConnection} and 0.31-0.37 ms through the JDK's {@code HttpClient},
 * whose requests also cost the server twice the CPU; about 1 ms per RelayClient handshake in all (docs/benchmarks-api.md
 * has the runs). Apache HttpClient 5 classic measured like {@code HttpURLConnection}, so the JDK's own client stays
 * the default and the service's jar needs no further library.
 */
public interface HttpTransport {

    /** What the relay API answered. */
    record Response(int status, String etag, String location, byte[] body) {
    }

    /**
     * Sends one request and reads the whole answer, error statuses included (their body is the problem document).
     *
     * @param contentType of {@code body}, also sent as {@code Accept}; null with no body
     * @param ifMatch     the session version the request applies to, or null
     */
    Response exchange(String method, URI uri, String contentType, byte[] body, String ifMatch) throws IOException;

    /** {@link java.net.HttpURLConnection}: each request written in one piece, connections kept alive by the JDK. */
    static HttpTransport urlConnection() {
        return UrlConnectionTransport.INSTANCE;
    }

    /** Your own JDK {@link HttpClient} (its connection pool, proxy and timeouts); HTTP/1.1 is asked for per request. */
    static HttpTransport of(HttpClient http) {
        return new JdkHttpClientTransport(http);
    }
}
