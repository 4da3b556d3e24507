package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.handshake.client.RelayClient;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.testing.JdkTlsPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /records}: a JDK SSLEngine, through {@link RelayClient}, sends HTTP requests that the service decrypts and
 * forwards to a real HTTP server (the JDK's), chosen by the session's SNI from the proxy routes; and raw bytes to a TCP
 * upstream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RelayRecordsTest {

    static final HttpServer WEB;
    static final ServerSocket RAW;
    static final AtomicReference<String> LAST_REQUEST = new AtomicReference<>();
    static final int DOWN_PORT;

    static {
        try {
            WEB = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            WEB.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                LAST_REQUEST.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("Host") + " " + new String(body, StandardCharsets.UTF_8));
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/big")) { // chunked, many records
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(big());
                    }
                    return;
                }
                byte[] reply = ("hello from upstream: " + path + " " + new String(body, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            });
            WEB.start();
            RAW = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread raw = new Thread(RelayRecordsTest::serveRaw, "raw-upstream");
            raw.setDaemon(true);
            raw.start();
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                DOWN_PORT = closed.getLocalPort(); // nothing listens there once closed
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Raw upstream: answers "raw:" + what it read, then stays silent (no FIN), so only the quiet period ends it. */
    private static void serveRaw() {
        while (!RAW.isClosed()) {
            try {
                Socket socket = RAW.accept();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                int n = in.read(buffer);
                OutputStream out = socket.getOutputStream();
                out.write(("raw:" + new String(buffer, 0, Math.max(n, 0), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread daemon = new Thread(() -> {
                    try (socket) {
                        in.readAllBytes(); // until the service closes its side
                    } catch (IOException ignored) {
                        // closed
                    }
                });
                daemon.setDaemon(true);
                daemon.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static byte[] big() {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        return big;
    }

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("handshake.proxy.routes[0].server-names[0]", () -> "web.test");
        registry.add("handshake.proxy.routes[0].upstream", () -> "127.0.0.1:" + WEB.getAddress().getPort());
        registry.add("handshake.proxy.routes[1].server-names[0]", () -> "*.raw.test");
        registry.add("handshake.proxy.routes[1].upstream", () -> "127.0.0.1:" + RAW.getLocalPort());
        registry.add("handshake.proxy.routes[1].upstream-protocol", () -> "tcp");
        registry.add("handshake.proxy.routes[2].server-names[0]", () -> "down.test");
        registry.add("handshake.proxy.routes[2].upstream", () -> "127.0.0.1:" + DOWN_PORT);
        registry.add("handshake.proxy.records.quiet-period", () -> "150ms");
    }

    @AfterAll
    static void stop() throws IOException {
        WEB.stop(0);
        RAW.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    SSLEngine client(String serverName, String protocol) throws Exception {
        JdkTlsPeer.allowLegacyAlgorithms();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("local-ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        var parameters = engine.getSSLParameters();
        if (serverName != null) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    URI base() {
        return URI.create("http://localhost:" + port);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void jdkEngineGetsTheHttpUpstreamsResponseThroughRecords(String protocol) throws Exception {
        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), base(), client("web.test", protocol),
                "{\"version\":\"" + protocol + "\"}")) {
            assertThat(tls.session().getProtocol()).isEqualTo(protocol);
            String response = new String(tls.records(ascii(
                    "POST /greet HTTP/1.1\r\nHost: web.test\r\nContent-Length: 5\r\n\r\nworld")), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 33")
                    .endsWith("\r\n\r\nhello from upstream: /greet world");
            assertThat(LAST_REQUEST.get()).isEqualTo("POST /greet web.test world");

            // a second request on the same session; a chunked response spanning many records
            String chunked = new String(tls.records(ascii("GET /big HTTP/1.1\r\nHost: web.test\r\n\r\n")),
                    StandardCharsets.US_ASCII);
            assertThat(chunked).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: chunked")
                    .endsWith("\r\n0\r\n\r\n");
            assertThat(dechunk(chunked.substring(chunked.indexOf("\r\n\r\n") + 4))).isEqualTo(new String(big(),
                    StandardCharsets.US_ASCII));
            // a chunked request body is framed too
            String echoed = new String(tls.records(ascii("PUT /c HTTP/1.1\r\nHost: web.test\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")), StandardCharsets.UTF_8);
            assertThat(echoed).endsWith("hello from upstream: /c abcde");
        }
    }

    @Test
    void incompleteRequestIsRefusedWithoutAdvancingAndTheUpstreamDownIsA502ThatCanBeRetried() throws Exception {
        try (RelayClient tls = RelayClient.connect(base(), client("web.test", "TLSv1.2"))) {
            assertThatThrownBy(() -> tls.records(ascii("GET / HTTP/1.1\r\nHost: web.test\r\n")))
                    .isInstanceOfSatisfying(RelayClient.RelayException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("malformed-request").contains("incomplete request");
                    });
            LAST_REQUEST.set(null);
            assertThatThrownBy(() -> tls.records(ascii("GET /x HTTP/1.1\r\n")))
                    .as("the failed records must be retried first").isInstanceOf(IllegalStateException.class);
            // the session did not advance: the same sealed records are accepted again (still incomplete)
            assertThatThrownBy(tls::retryRecords).isInstanceOfSatisfying(RelayClient.RelayException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
            assertThat(LAST_REQUEST.get()).as("nothing reached the upstream").isNull();
        }
        try (RelayClient tls = RelayClient.connect(base(), client("down.test", "TLSv1.2"))) {
            assertThatThrownBy(() -> tls.records(ascii("GET / HTTP/1.1\r\nHost: down.test\r\n\r\n")))
                    .isInstanceOfSatisfying(RelayClient.RelayException.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.getMessage()).contains("upstream-failed").doesNotContain("Exception");
                    });
        }
    }

    @Test
    void tcpRouteReturnsWhatArrivesUntilTheUpstreamGoesQuiet() throws Exception {
        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), base(),
                client("a.raw.test", "TLSv1.3"), "{\"version\":\"TLSv1.3\"}")) {
            long start = System.nanoTime();
            byte[] reply = tls.records(ascii("ping"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("raw:ping");
            assertThat(millis).as("ended by the 150 ms quiet period, not the 30 s timeout").isLessThan(5_000);
        }
    }

    @Test
    void unroutedServerNameAndUnfinishedHandshakeAreProblems() throws Exception {
        try (RelayClient tls = RelayClient.connect(base(), client("nowhere.example", "TLSv1.2"))) {
            assertThatThrownBy(() -> tls.records(ascii("GET / HTTP/1.1\r\n\r\n")))
                    .isInstanceOfSatisfying(RelayClient.RelayException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("no-upstream-route").contains("nowhere.example");
                    });
        }
        HttpClient http = HttpClient.newHttpClient();
        String created = http.send(HttpRequest.newBuilder(base().resolve("/api/v1/sessions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"mode\":\"relay\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String id = created.replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        HttpResponse<String> early = http.send(HttpRequest.newBuilder(base().resolve("/api/v1/sessions/" + id + "/records"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {23, 3, 3, 0, 1, 0})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(early.body()).contains("wrong-state").contains("HANDSHAKING");
    }

    @Test
    void aRecordThatFailsToDecryptEndsTheSessionWithBadRecordMac() throws Exception {
        SSLEngine engine = client("web.test", "TLSv1.2");
        RelayClient tls = RelayClient.connect(base(), engine);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\nHost: web.test\r\n\r\n")), out);
        byte[] record = java.util.Arrays.copyOf(out.array(), out.position());
        record[record.length - 1] ^= 1; // flip a tag bit
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        tls.sessionUri().resolve(tls.sessionUri().getPath() + "/records"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(record)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Handshake-Status")).hasValue("FAILED");
        // a fatal alert record: type 21; encrypted after the handshake, so check the session's view for the alert
        assertThat(answer.body()[0]).isEqualTo((byte) 21);
        String view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tls.sessionUri()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(view).contains("bad_record_mac");
        assertThatThrownBy(() -> tls.records(ascii("GET / HTTP/1.1\r\n\r\n")))
                .isInstanceOfSatisfying(RelayClient.RelayException.class, e -> assertThat(e.status()).isEqualTo(409));
        tls.close();
    }

    static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
