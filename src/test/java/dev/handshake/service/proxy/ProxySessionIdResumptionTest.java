package dev.handshake.service.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.service.resumption.Tls12SessionCaches;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.tls.resumption.InMemorySessionCache;
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
 * because the cache is the service's, not the route engine's. It is the proxy's own: the relay API keeps another.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.port=0")
class ProxySessionIdResumptionTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    ProxyServer proxy;

    @Autowired
    Tls12SessionCaches sessionCaches;

    @TempDir
    Path dir;

    @Test
    void openSslWithoutTicketsResumesTls12ByIdAfterTheRoutesWereRebuilt() {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        Path session = dir.resolve("session.pem");
        InMemorySessionCache proxyCache = (InMemorySessionCache) sessionCaches.proxy();
        InMemorySessionCache relayCache = (InMemorySessionCache) sessionCaches.relay();
        int relayBefore = relayCache.size();
        int cachedBefore = proxyCache.size();
        connect("-sess_out", session, "New, TLSv1.2");
        assertThat(Files.exists(session)).isTrue();
        assertThat(proxyCache.size()).as("the proxy's cache holds the session").isEqualTo(cachedBefore + 1);
        assertThat(relayCache.size()).as("the relay's cache does not: relay clients choose their own options")
                .isEqualTo(relayBefore);

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
