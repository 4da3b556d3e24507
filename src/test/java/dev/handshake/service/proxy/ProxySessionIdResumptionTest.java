package dev.handshake.service.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.testing.OpenSslProcess;
import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * TLS 1.2 resumption by session id through the proxy, with {@code openssl s_client -no_ticket}: the routes' engines
 * are rebuilt whenever the ticket keys rotate or a bundle changes, and the session id still resumes afterwards
 * because the cache is the service's, not the route engine's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.port=0")
class ProxySessionIdResumptionTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    ProxyServer proxy;

    @Autowired
    SessionCache sessionCache;

    @TempDir
    Path dir;

    @Test
    void openSslWithoutTicketsResumesTls12ByIdAfterTheRoutesWereRebuilt() {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        Path session = dir.resolve("session.pem");
        int cachedBefore = ((InMemorySessionCache) sessionCache).size();
        connect("-sess_out", session, "New, TLSv1.2");
        assertThat(Files.exists(session)).isTrue();
        assertThat(((InMemorySessionCache) sessionCache).size()).as("the service's cache holds the session")
                .isEqualTo(cachedBefore + 1);

        proxy.reloadRoutes("a test rebuilds the route engines, as a ticket-key rotation does");
        connect("-sess_in", session, "Reused, TLSv1.2");
    }

    private void connect(String sessionOption, Path session, String expected) {
        try (OpenSslProcess client = OpenSslProcess.client(proxy.port()).serverName("localhost").tls12()
                .arg("-no_ticket", sessionOption, session.toString()).start()) {
            client.expectOutput(expected, WAIT);
            client.write("GET /api/v1/sessions/none HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            client.expectOutput("HTTP/1.1 404", WAIT);
        }
    }
}
