package dev.handshake.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Runs any client-mode {@link SSLEngine} against handshake-service's relay API: the records the engine would write to
 * a socket are posted to the session's flights, and the records the service answers are fed back to the engine.
 *
 * <pre>{@code
 * SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
 * engine.setUseClientMode(true);
 * try (RelayClient tls = RelayClient.connect(URI.create("http://localhost:8080"), engine)) {
 *     byte[] echoed = tls.exchange("hello".getBytes(UTF_8));   // the relay server echoes application data
 * }
 * }</pre>
 *
 * Every flight carries {@code If-Match} with the session version the client last saw, so a retried or duplicated
 * request can never advance the session twice. Not thread-safe: one connection, one caller.
 */
public final class RelayClient implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern FLIGHT = Pattern.compile("\"flight\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");
    private static final String OCTETS = "application/octet-stream";
    private static final String JSON = "application/json";

    private final HttpTransport http;
    private final URI sessionUri;
    private final SSLEngine engine;
    /** Records the engine wrote while reading a flight, sent with the next post. */
    private final ByteArrayOutputStream outbox = new ByteArrayOutputStream();
    private String version;
    private boolean closed;
    /** Sealed records whose {@code /records} call failed; the service expects them again before anything else. */
    private byte[] unanswered;

    private RelayClient(HttpTransport http, URI sessionUri, SSLEngine engine, String version) {
        this.http = http;
        this.sessionUri = sessionUri;
        this.engine = engine;
        this.version = version;
    }

    /** Starts a relay session at {@code baseUri} (e.g. {@code http://localhost:8080}) and completes the handshake. */
    public static RelayClient connect(URI baseUri, SSLEngine engine) throws IOException {
        return connect(HttpTransport.urlConnection(), baseUri, engine, "{}");
    }

    /**
     * The same with session options as JSON members, e.g.
     * {@code {"version":"TLSv1.3","clientAuth":"required","applicationProtocols":["http/1.1"]}}.
     */
    public static RelayClient connect(URI baseUri, SSLEngine engine, String optionsJson) throws IOException {
        return connect(HttpTransport.urlConnection(), baseUri, engine, optionsJson);
    }

    /** The same over your own JDK {@link HttpClient} (slower per request: see {@link HttpTransport}). */
    public static RelayClient connect(HttpClient http, URI baseUri, SSLEngine engine, String optionsJson)
            throws IOException {
        return connect(HttpTransport.of(http), baseUri, engine, optionsJson);
    }

    /**
     * The same over any {@link HttpTransport}. Options with a query-parameter form (string members {@code version},
     * {@code profile}, {@code serverName}, {@code clientAuth}; the number {@code recordPadding}; the list
     * {@code applicationProtocols}) start the session
     * with raw records, as no options do; anything else falls back to the JSON start, which answers the whole session
     * view and costs the service about 0.25 ms more CPU.
     */
    public static RelayClient connect(HttpTransport http, URI baseUri, SSLEngine engine, String optionsJson)
            throws IOException {
        if (!engine.getUseClientMode()) {
            throw new IllegalArgumentException("the relay service is the TLS server: the engine must be in client mode");
        }
        engine.beginHandshake();
        byte[] clientHello = wrapPending(engine);
        URI sessions = baseUri.resolve("/api/v1/sessions");
        String query = StartOptions.query(optionsJson);
        if (query != null) {
            // the octet-stream start: no JSON, base64 or session view on either side
            HttpTransport.Response created = http.exchange("POST",
                    query.isEmpty() ? sessions : URI.create(sessions + "?" + query), OCTETS, clientHello, null);
            if (created.status() != 201) {
                throw new RelayException(created.status(), new String(created.body(), StandardCharsets.UTF_8));
            }
            if (created.location() == null) {
                throw new IOException("unexpected answer from the relay API: no Location");
            }
            RelayClient client = new RelayClient(http, baseUri.resolve(created.location()), engine, created.etag());
            client.handshake(created.body());
            return client;
        }
        String extra = optionsJson.trim();
        extra = extra.substring(1, extra.length() - 1).trim();
        byte[] body = ("{" + extra + ",\"mode\":\"relay\",\"firstFlight\":\""
                + Base64.getEncoder().encodeToString(clientHello) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpTransport.Response created = http.exchange("POST", sessions, JSON, body, null);
        String answer = new String(created.body(), StandardCharsets.UTF_8);
        if (created.status() != 201) {
            throw new RelayException(created.status(), answer);
        }
        URI session = baseUri.resolve("/api/v1/sessions/" + group(ID, answer));
        RelayClient client = new RelayClient(http, session, engine, created.etag());
        Matcher flight = FLIGHT.matcher(answer);
        byte[] serverFlight = flight.find() ? Base64.getDecoder().decode(flight.group(1)) : new byte[0];
        client.handshake(serverFlight);
        return client;
    }

    public String sessionId() {
        String path = sessionUri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public URI sessionUri() {
        return sessionUri;
    }

    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * Sends application data and returns the application data the server answered in the same round trip (the
     * relay server echoes until the proxy's records endpoint exists).
     */
    public byte[] exchange(byte[] data) throws IOException {
        return unwrap(post(protect(data), "/flights"));
    }

    /**
     * Sends application data to {@code /records}: the service decrypts it, forwards it to the upstream of the proxy
     * route that this connection's SNI selects, and returns the upstream's reply (for an {@code http1} route,
     * {@code data} must be exactly one complete HTTP/1.1 request, and the reply is one complete response). With no
     * proxy route configured the service echoes. An upstream failure is a {@link RelayException} (502 or 504) after
     * which the service has not advanced the session: {@link #retryRecords()} posts the same records again (our
     * engine has already sealed them, so new data could not be read by the service before they are).
     */
    public byte[] records(byte[] data) throws IOException {
        if (unanswered != null) {
            throw new IllegalStateException("the last records were not answered: retryRecords() first");
        }
        unanswered = protect(data);
        return retryRecords();
    }

    /** Posts the records of the last {@link #records} call that failed, again. */
    public byte[] retryRecords() throws IOException {
        if (unanswered == null) {
            throw new IllegalStateException("nothing to retry");
        }
        byte[] answer = post(unanswered, "/records");
        unanswered = null;
        return unwrap(answer);
    }

    /** Wraps {@code data}, after anything the engine queued while reading the last answer. */
    private byte[] protect(byte[] data) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(data);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        // anything the engine wrote while reading the last answer (e.g. a KeyUpdate reply) goes first
        records.writeBytes(outbox.toByteArray());
        outbox.reset();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (in.hasRemaining()) {
            out.clear();
            SSLEngineResult result = engine.wrap(in, out);
            check(result);
            records.write(out.array(), 0, out.position());
        }
        return records.toByteArray();
    }

    /** Sends close_notify, reads the server's, and lets the service forget the session. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        engine.closeOutbound();
        byte[] closeNotify = wrapPending(engine);
        try {
            if (closeNotify.length > 0) {
                // the server answers our close_notify with its own (RFC 5246 §7.2.1)
                unwrap(post(closeNotify));
            }
        } catch (IOException e) {
            // a failed or expired session has nothing more to say; forgetting it below is all that is left
        } finally {
            http.exchange("DELETE", sessionUri, null, null, null);
        }
    }

    private void handshake(byte[] firstAnswer) throws IOException {
        byte[] answer = firstAnswer;
        while (true) {
            unwrap(answer);
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    || status == SSLEngineResult.HandshakeStatus.FINISHED) {
                return;
            }
            outbox.writeBytes(wrapPending(engine));
            byte[] flight = outbox.toByteArray();
            outbox.reset();
            if (flight.length == 0 && answer.length == 0) {
                throw new SSLException("handshake stalled: nothing to send and nothing received");
            }
            answer = flight.length == 0 ? new byte[0] : post(flight);
            if (engine.isInboundDone()) {
                return;
            }
        }
    }

    private byte[] post(byte[] records) throws IOException {
        return post(records, "/flights");
    }

    private byte[] post(byte[] records, String endpoint) throws IOException {
        HttpTransport.Response response = http.exchange("POST", sessionUri.resolve(sessionUri.getPath() + endpoint),
                OCTETS, records, version);
        if (response.status() != 200) {
            throw new RelayException(response.status(), new String(response.body(), StandardCharsets.UTF_8));
        }
        version = response.etag();
        return response.body();
    }

    /** Feeds server records to the engine; returns the application data they carried. */
    private byte[] unwrap(byte[] records) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(records);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        while (true) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (!in.hasRemaining() && hs != SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN) {
                break;
            }
            if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                // The engine wants to write in the middle of the peer's flight (TLS 1.3 clients send their
                // middlebox-compatibility ChangeCipherSpec right after ServerHello): queue what it writes and keep
                // reading, or the rest of the flight would be lost.
                outbox.writeBytes(wrapPending(engine));
                continue;
            }
            out.clear();
            SSLEngineResult result = engine.unwrap(in, out);
            check(result);
            data.write(out.array(), 0, out.position());
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                break;
            }
        }
        return data.toByteArray();
    }

    /** Everything the engine wants to write now (a whole flight). */
    private static byte[] wrapPending(SSLEngine engine) throws SSLException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteBuffer empty = ByteBuffer.allocate(0);
        while (true) {
            runTasks(engine);
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                return records.toByteArray();
            }
            out.clear();
            SSLEngineResult result = engine.wrap(empty, out);
            records.write(out.array(), 0, out.position());
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && out.position() == 0) {
                return records.toByteArray();
            }
        }
    }

    private void check(SSLEngineResult result) {
        runTasks(engine);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new IllegalStateException("buffer sized from the session was too small");
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static String group(Pattern pattern, String body) throws IOException {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IOException("unexpected answer from the relay API");
        }
        return m.group(1);
    }

    /** The relay API answered with an HTTP error (its problem document is the message). */
    public static final class RelayException extends IOException {
        private final int status;

        public RelayException(int status, String problem) {
            super("relay API answered " + status + ": " + problem);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
