package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.proxy.ProxyPorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A session a client established over the relay API, where it chose no client authentication, does not resume on a
 * proxy route that requires a client certificate, although the relay and the proxy share the ticket keys and the
 * route holds the same certificate. The JDK's SSLEngine and SSLSocket from one SSLContext play the client: SunJSSE
 * offers a cached session wherever host and port match, so the relay engine is created for the route's name and the
 * proxy's port. The same session first resumes on the relay, so the JDK demonstrably holds it and offers it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "handshake.proxy.port=0",
        "handshake.proxy.routes[0].name=secure",
        "handshake.proxy.routes[0].server-names[0]=secure.test",
        "handshake.proxy.routes[0].client-auth=required",
        // never reached: the handshake is refused before the proxy connects upstream
        "handshake.proxy.routes[0].upstream=127.0.0.1:1"})
class RelayTicketOnProxyRouteTest {

    private static final String ROUTE_NAME = "secure.test";

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    @Autowired
    ApplicationContext context;

    @Autowired
    MeterRegistry meters;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3,certificate_required", "TLSv1.2,handshake_failure"})
    void aRelaySessionWithoutClientAuthDoesNotResumeOnARouteRequiringACertificate(String version, String alert)
            throws Exception {
        SSLContext client = RelayApiTest.jdkContext(ca);
        int proxyPort = ProxyPorts.of(context);
        URI base = URI.create("http://localhost:" + port);
        ApiCalls api = new ApiCalls(port);
        String options = "{\"version\":\"" + version + "\",\"clientAuth\":\"none\"}";
        try (RelayClient tls = RelayClient.connect(base, engine(client, version, proxyPort), options)) {
            assertThat(resumed(api, tls)).isFalse();
        }
        try (RelayClient tls = RelayClient.connect(base, engine(client, version, proxyPort), options)) {
            assertThat(resumed(api, tls)).as("the control: the JDK offers the session, and the relay resumes it")
                    .isTrue();
        }

        double resumedBefore = proxyHandshakes("success", "none", "true");
        double refusedBefore = proxyHandshakes("alert", alert, "false");
        try (Socket raw = new Socket("127.0.0.1", proxyPort);
                SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(raw, ROUTE_NAME, proxyPort, true)) {
            socket.setEnabledProtocols(new String[] {version});
            assertThatThrownBy(() -> {
                // TLS 1.3: the client finishes its side first and reads the server's alert afterwards
                socket.startHandshake();
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: secure.test\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("closed without an alert");
                }
            }).isInstanceOf(SSLException.class);
        }
        awaitCount(() -> proxyHandshakes("alert", alert, "false") - refusedBefore == 1);
        assertThat(proxyHandshakes("success", "none", "true")).as("nothing resumed on the route")
                .isEqualTo(resumedBefore);
    }

    private static boolean resumed(ApiCalls api, RelayClient tls) {
        return api.get("/api/v1/sessions/" + tls.sessionId()).json().get("negotiated").get("resumed").asBoolean();
    }

    private static SSLEngine engine(SSLContext context, String version, int proxyPort) {
        SSLEngine engine = context.createSSLEngine(ROUTE_NAME, proxyPort);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {version});
        return engine;
    }

    private double proxyHandshakes(String outcome, String alert, String resumed) {
        return meters.find("tls.handshakes").tag("source", "proxy").tag("outcome", outcome).tag("alert", alert)
                .tag("resumed", resumed).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** The proxy counts a handshake when its connection ends, on its own thread. */
    private static void awaitCount(java.util.function.BooleanSupplier counted) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!counted.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the proxy counted the refused handshake").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
