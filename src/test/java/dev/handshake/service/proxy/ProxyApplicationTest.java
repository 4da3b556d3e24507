package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The embedded default: with no routes configured, the listener presents the generated certificate and forwards to
 * the service's own HTTP port, so {@code curl -k https://localhost:8443/actuator/health} works after start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.port=0")
class ProxyApplicationTest {

    @Autowired
    ProxyServer proxy;

    @LocalServerPort
    int httpPort;

    @Test
    void curlReachesTheServiceThroughTheEmbeddedDefaultRoute() throws Exception {
        assertTrue(proxy.isRunning());
        Process curl = new ProcessBuilder("curl", "-sS", "-k", "--http1.1",
                "https://localhost:" + proxy.port() + "/actuator/health").redirectErrorStream(true).start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), body);
        assertTrue(body.contains("\"status\":\"UP\""), body);
    }

    @Test
    void actuatorListsLiveConnectionsWithoutSecrets() throws Exception {
        try (var socket = TlsClients.connect(trustAll(), proxy.port(), "localhost", null)) {
            ProxyTestRig.await("the connection is relaying", java.time.Duration.ofSeconds(10),
                    () -> proxy.connections().live().stream().anyMatch(c -> c.phase == ProxyConnection.Phase.RELAYING));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + httpPort + "/actuator/proxy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String json = response.body();
            assertTrue(json.contains("\"version\":\"" + socket.getSession().getProtocol() + "\""), json);
            assertTrue(json.contains("\"cipherSuite\":\"" + socket.getSession().getCipherSuite() + "\""), json);
            assertTrue(json.contains("\"serverName\":\"localhost\""), json);
            assertTrue(json.contains("\"handshakesCompleted\""), json);
            assertFalse(json.toLowerCase(java.util.Locale.ROOT).contains("secret"), json);
            assertFalse(json.toLowerCase(java.util.Locale.ROOT).contains("key"), json);
        }
    }

    @Test
    void onlyHealthInfoAndProxyEndpointsAreExposed() throws Exception {
        HttpResponse<String> env = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/actuator/env")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, env.statusCode());
    }

    private static javax.net.ssl.SSLContext trustAll() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
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
