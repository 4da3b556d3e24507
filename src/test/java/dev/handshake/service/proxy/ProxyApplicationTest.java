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
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The embedded default: with no routes configured, the listener presents the generated certificate and forwards to
 * the service's own HTTP port, so {@code curl -k https://localhost:8443/v3/api-docs} works after start. Actuator lives on
 * the separate management port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.port=0")
class ProxyApplicationTest {

    @Autowired
    ProxyServer proxy;

    @LocalServerPort
    int httpPort;

    @LocalManagementPort
    int managementPort;

    @Test
    void curlReachesTheServiceThroughTheEmbeddedDefaultRoute() throws Exception {
        assertTrue(proxy.isRunning());
        Process curl = new ProcessBuilder("curl", "-sS", "-k", "--http1.1",
                "https://localhost:" + proxy.port() + "/v3/api-docs").redirectErrorStream(true).start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), body);
        assertTrue(body.contains("\"openapi\""), body);
    }

    @Test
    void actuatorListsLiveConnectionsWithoutSecrets() throws Exception {
        try (var socket = TlsClients.connect(trustAll(), proxy.port(), "localhost", null)) {
            ProxyTestRig.await("the connection is relaying", java.time.Duration.ofSeconds(10),
                    () -> proxy.connections().live().stream().anyMatch(c -> c.phase == ProxyConnection.Phase.RELAYING));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + managementPort + "/actuator/proxy")).build(),
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
    void onlyHealthInfoMetricsPrometheusAndProxyEndpointsAreExposedOnTheManagementPort() throws Exception {
        for (int port : new int[] {httpPort, managementPort}) {
            HttpResponse<String> env = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/env")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, env.statusCode());
        }
        for (String endpoint : new String[] {"health", "info", "metrics", "prometheus", "proxy"}) {
            HttpResponse<String> onApiPort = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + httpPort + "/actuator/" + endpoint)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, onApiPort.statusCode(), endpoint + " must not be on the API port");
            HttpResponse<String> onManagement = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + managementPort + "/actuator/" + endpoint)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, onManagement.statusCode(), endpoint);
        }
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
