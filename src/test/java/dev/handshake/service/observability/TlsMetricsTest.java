package dev.handshake.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.testing.JdkTlsPeer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Known handshakes through the REST API and the TLS proxy, then {@code /actuator/prometheus} scraped over HTTP: each
 * success and failure class moves exactly its own series. Values are compared before and after, since the context
 * (and its registry) is shared by the tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsMetricsTest {

    /** A handshake record holding a ClientHello with an empty body: the engine answers decode_error. */
    static final byte[] EMPTY_CLIENT_HELLO = {22, 3, 1, 0, 4, 1, 0, 0, 0};

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    LocalCertificateAuthority ca;

    @Autowired
    org.springframework.context.ApplicationContext context;

    Prometheus prometheus() {
        return new Prometheus(managementPort);
    }

    /** A relayed TLS 1.2 handshake by the JDK's SSLEngine through the API; returns the session id and the first flight. */
    record Relayed(String id, byte[] firstFlight) {
    }

    static Relayed relayTls12Handshake(int port, LocalCertificateAuthority ca) throws Exception {
        ApiCalls api = new ApiCalls(port);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trust(trust).build();
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        byte[] first = client.produce();
        byte[] next = first;
        for (int round = 0; round < 3 && !client.handshakeDone(); round++) {
            var answer = api.postJson("/api/v1/sessions/" + id + "/flights",
                    "{\"records\":\"" + Base64.getEncoder().encodeToString(next) + "\"}");
            next = client.receive(Base64.getDecoder().decode(answer.json().get("records").asString()));
        }
        assertThat(client.handshakeDone()).isTrue();
        return new Relayed(id, first);
    }

    @Test
    void apiSuccessCountsTheHandshakeWithVersionSuiteGroupAndTimesIt() throws Exception {
        Map<String, String> success = Map.of("source", "api", "mode", "relay", "outcome", "success",
                "version", "TLSv1.2", "resumed", "false", "alert", "none");
        String before = prometheus().scrape();
        String id = relayTls12Handshake(port, ca).id();
        String after = prometheus().scrape();
        // the key log is off by default: its endpoint does not exist
        assertThat(new ApiCalls(port).get("/api/v1/sessions/" + id + "/keylog").status()).isEqualTo(404);

        assertThat(delta(before, after, "tls_handshakes_total", success)).isEqualTo(1.0);
        assertThat(after).containsPattern("tls_handshakes_total\\{[^}]*group=\"[a-z0-9_]+\"[^}]*outcome=\"success\"");
        assertThat(delta(before, after, "tls_handshake_duration_seconds_count",
                Map.of("source", "api", "version", "TLSv1.2", "resumed", "false"))).isEqualTo(1.0);
        assertThat(after).contains("tls_handshake_duration_seconds_bucket{");
        assertThat(Prometheus.value(after, "tls_sessions_active", Map.of("source", "api"))).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void apiAlertCountsTheFailureWithItsAlertAndStepAndTheAlertSent() throws Exception {
        Map<String, String> failed = Map.of("source", "api", "mode", "relay", "outcome", "alert",
                "alert", "decode_error", "step", "1");
        String before = prometheus().scrape();
        var answer = new ApiCalls(port).postJson("/api/v1/sessions", "{\"mode\":\"relay\",\"firstFlight\":\""
                + Base64.getEncoder().encodeToString(EMPTY_CLIENT_HELLO) + "\"}");
        assertThat(answer.status()).as(answer.text()).isLessThan(500);
        String after = prometheus().scrape();

        assertThat(delta(before, after, "tls_handshakes_total", failed)).as(after).isEqualTo(1.0);
        assertThat(delta(before, after, "tls_handshakes_total", Map.of("source", "api", "outcome", "success")))
                .isZero();
        assertThat(delta(before, after, "tls_alerts_total",
                Map.of("direction", "sent", "level", "fatal", "description", "decode_error"))).isEqualTo(1.0);
    }

    @Test
    void apiSessionDeletedMidHandshakeCountsAsClosed() throws Exception {
        Map<String, String> closed = Map.of("source", "api", "mode", "relay", "outcome", "closed");
        String before = prometheus().scrape();
        ApiCalls api = new ApiCalls(port);
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        assertThat(api.send("DELETE", "/api/v1/sessions/" + id, null, null).status()).isEqualTo(200);
        String after = prometheus().scrape();
        assertThat(delta(before, after, "tls_handshakes_total", closed)).isEqualTo(1.0);
    }

    @Test
    void proxySuccessCountsTheHandshakeAndItsConnection() throws Exception {
        String before = prometheus().scrape();
        try (SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", dev.handshake.service.proxy.ProxyPorts.of(context))) {
            socket.startHandshake();
            String version = socket.getSession().getProtocol();
            String suite = socket.getSession().getCipherSuite();
            Map<String, String> success = Map.of("source", "proxy", "mode", "proxy", "outcome", "success",
                    "version", version, "suite", suite);
            String after = awaitScrape(() -> delta(before, prometheus().scrape(), "tls_handshakes_total", success) == 1.0);
            assertThat(delta(before, after, "tls_handshake_duration_seconds_count",
                    Map.of("source", "proxy", "version", version))).isEqualTo(1.0);
            assertThat(Prometheus.value(after, "proxy_connections_active", Map.of())).isGreaterThanOrEqualTo(1.0);
            assertThat(delta(before, after, "proxy_connections_total", Map.of("outcome", "accepted"))).isEqualTo(1.0);
            assertThat(Prometheus.value(after, "tls_sessions_active", Map.of("source", "proxy")))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(delta(before, after, "proxy_bytes_total", Map.of("direction", "from_client"))).isPositive();
        }
    }

    @Test
    void proxyAlertAndClosedHandshakesAreCountedByOutcome() throws Exception {
        String before = prometheus().scrape();
        try (Socket socket = new Socket("127.0.0.1", dev.handshake.service.proxy.ProxyPorts.of(context))) {
            OutputStream out = socket.getOutputStream();
            out.write(EMPTY_CLIENT_HELLO);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] alert = in.readNBytes(7);
            assertThat(alert[0]).as("an alert record").isEqualTo((byte) 21);
        }
        try (Socket silent = new Socket("127.0.0.1", dev.handshake.service.proxy.ProxyPorts.of(context))) {
            // connects and leaves without a byte: a TCP health check or a scanner
        }
        String after = awaitScrape(() -> {
            String now = prometheus().scrape();
            return delta(before, now, "tls_handshakes_total", Map.of("source", "proxy", "outcome", "alert",
                    "alert", "decode_error", "step", "1")) == 1.0
                    && delta(before, now, "tls_handshakes_total", Map.of("source", "proxy", "outcome", "closed")) == 1.0;
        });
        assertThat(delta(before, after, "tls_handshakes_total", Map.of("source", "proxy", "outcome", "success"))).isZero();
        assertThat(delta(before, after, "tls_alerts_total", Map.of("direction", "sent", "description", "decode_error")))
                .isEqualTo(1.0);
    }

    @Test
    void tagValuesAreBoundedNoIdsOrAddresses() throws Exception {
        String scrape = prometheus().scrape();
        assertThat(scrape).contains("tls_certificate_expiry_seconds{");
        for (String line : scrape.split("\n")) {
            if (line.startsWith("tls_") || line.startsWith("proxy_")) {
                assertThat(line).doesNotContain("127.0.0.1").doesNotContain("proxy-");
            }
        }
    }

    static double delta(String before, String after, String name, Map<String, String> labels) {
        return Prometheus.value(after, name, labels) - Prometheus.value(before, name, labels);
    }

    /** The proxy counts on its event loop after the client's handshake returns: wait for it, then scrape once more. */
    String awaitScrape(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("metrics did not reach the expected values:\n" + prometheus().scrape());
            }
            Thread.sleep(50);
        }
        return prometheus().scrape();
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
