package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.HttpTransport;
import dev.handshake.client.RelayClient;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.session.InMemorySessionRepository;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.testing.JdkTlsPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The JDK's SSLEngine handshakes with the service over real HTTP through the relay API, via {@link RelayClient}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RelayApiTest {

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    @Autowired
    InMemorySessionRepository repository;

    /** A JDK client context trusting the service's local CA; its engines share SunJSSE's client session cache. */
    static SSLContext jdkContext(LocalCertificateAuthority ca) throws Exception {
        JdkTlsPeer.allowLegacyAlgorithms();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("local-ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static SSLEngine jdkClient(LocalCertificateAuthority ca, String suite) throws Exception {
        SSLEngine engine = jdkContext(ca).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.2"});
        engine.setEnabledCipherSuites(new String[] {suite});
        var parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the JDK checks the service's name too
        engine.setSSLParameters(parameters);
        return engine;
    }

    @org.junit.jupiter.api.Test
    void jsonFlightsCarryBase64RecordsBothWays() throws Exception {
        dev.handshake.service.ApiCalls api = new dev.handshake.service.ApiCalls(port);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trust(trust).build();
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        byte[] next = client.produce();
        String status = null;
        for (int round = 0; round < 3 && !client.handshakeDone(); round++) {
            var answer = api.postJson("/api/v1/sessions/" + id + "/flights",
                    "{\"records\":\"" + java.util.Base64.getEncoder().encodeToString(next) + "\"}");
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("application/json");
            status = answer.json().get("status").asString();
            next = client.receive(java.util.Base64.getDecoder().decode(answer.json().get("records").asString()));
        }
        assertThat(client.handshakeDone()).isTrue();
        assertThat(status).isEqualTo("ESTABLISHED");
    }

    @org.junit.jupiter.api.Test
    void rawRecordsStartASessionWithOptionsAsQueryParameters() throws Exception {
        dev.handshake.service.ApiCalls api = new dev.handshake.service.ApiCalls(port);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.3").trust(trust).build();
        var created = api.send("POST", "/api/v1/sessions?version=TLSv1.3&profile=MODERN", "application/octet-stream",
                client.produce());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/octet-stream");
        assertThat(created.etag()).isEqualTo("\"1\"");
        assertThat(created.location()).matches("/api/v1/sessions/[A-Za-z0-9_-]{24}");
        byte[] next = client.receive(created.bytes()); // ServerHello to Finished, raw
        var answer = api.send("POST", created.location() + "/flights", "application/octet-stream", next,
                "If-Match", created.etag());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        client.receive(answer.bytes());
        assertThat(client.handshakeDone()).isTrue();
        assertThat(client.session().getProtocol()).isEqualTo("TLSv1.3");
        var view = api.get(created.location()).json();
        assertThat(view.get("status").asString()).isEqualTo("ESTABLISHED");
        assertThat(view.get("options").get("profile").asString()).isEqualTo("MODERN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void serverAsksForAndChecksTheClientCertificateWhenRequired(String version) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        dev.handshake.tls.Identity clientId = ca.issue("relay client", java.util.List.of(),
                LocalCertificateAuthority.Purpose.CLIENT, now.minusSeconds(60), now.plusSeconds(3600));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", clientId.privateKey(), "pw".toCharArray(),
                clientId.chain().toArray(new java.security.cert.Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("local-ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {version});

        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), URI.create("http://localhost:" + port),
                engine, "{\"version\":\"" + version + "\",\"clientAuth\":\"required\","
                        + "\"applicationProtocols\":[\"http/1.1\"]}")) {
            String view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tls.sessionUri()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            // TLS 1.3 has no step 4 of its own: the key shares travel in the hellos (steps 1 and 2)
            String steps = version.equals("TLSv1.2") ? "[1,2,3,4,5,6,7,8,9,10]" : "[1,2,3,5,6,7,8,9,10]";
            assertThat(view).contains("\"stepsDone\":" + steps).contains("CN=relay client")
                    .contains("certificate_checked");
            String path = tls.sessionUri().getPath();
            SessionRecord stored = repository.find(path.substring(path.lastIndexOf('/') + 1)).orElseThrow();
            int chain = 0;
            for (java.security.cert.X509Certificate certificate : clientId.chain()) {
                chain += certificate.getEncoded().length;
            }
            // the session sits in the connection and in its established handshake state: one copy of the chain
            assertThat(stored.states().get(0).length).as("the client's %d-byte chain is stored once", chain)
                    .isLessThan(2 * chain);
        }
    }

    @org.junit.jupiter.api.Test
    void versionOptionReachesTheEngineAndAnOfferOfTls13StillCompletes() throws Exception {
        // TLS 1.3 is being added to the engine: until then a 1.3-capable client settles on 1.2, afterwards on 1.3
        SSLEngine engine = jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        engine.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), URI.create("http://localhost:" + port),
                engine, "{\"version\":\"TLSv1.3\"}")) {
            assertThat(tls.session().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(tls.exchange(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"})
    void jdkClientHandshakesExchangesDataAndClosesThroughTheRelay(String suite) throws Exception {
        URI base = URI.create("http://localhost:" + port);
        SSLEngine engine = jdkClient(ca, suite);
        String id;
        try (RelayClient tls = RelayClient.connect(base, engine)) {
            id = tls.sessionId();
            assertThat(tls.session().getCipherSuite()).isEqualTo(suite);
            assertThat(tls.session().getProtocol()).isEqualTo("TLSv1.2");

            byte[] request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(tls.exchange(request)).isEqualTo(request);
            byte[] large = new byte[40_000]; // several records each way
            for (int i = 0; i < large.length; i++) {
                large[i] = (byte) (i * 7);
            }
            assertThat(tls.exchange(large)).isEqualTo(large);

            String view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tls.sessionUri()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(view).contains("\"status\":\"ESTABLISHED\"").contains("\"cipherSuite\":\"" + suite + "\"")
                    .contains("\"stepsDone\":[1,2,3,4,6,7,8,9,10]")
                    .doesNotContain("secrets");
            assertThat(repository.storedBytes(id)).isBetween(1, 8 * 1024);
        }
        assertThat(engine.isOutboundDone()).isTrue();
        assertThat(engine.isInboundDone()).as("the server's close_notify arrived").isTrue();
        assertThat(repository.find(id)).as("closing forgets the session").isEmpty();
    }
    @org.junit.jupiter.api.Test
    void relayClientStartsWithRawRecordsEvenWithOptionsAndFallsBackToJsonOnlyForOthers() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpTransport recording = (method, uri, contentType, body, ifMatch) -> {
            requests.add(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " " + contentType);
            return HttpTransport.urlConnection().exchange(method, uri, contentType, body, ifMatch);
        };
        URI base = URI.create("http://localhost:" + port);
        SSLEngine engine = jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        try (RelayClient tls = RelayClient.connect(recording, base, engine,
                "{\"version\":\"TLSv1.3\",\"applicationProtocols\":[\"http/1.1\"]}")) {
            assertThat(tls.exchange(new byte[] {4, 2})).containsExactly(4, 2);
        }
        assertThat(requests.get(0)).isEqualTo("POST /api/v1/sessions?version=TLSv1.3&applicationProtocols=http%2F1.1 "
                + "application/octet-stream");
        assertThat(requests).allSatisfy(r -> assertThat(r).doesNotContain("application/json"));

        requests.clear();
        // an option with no query form (here one the service does not know) keeps the JSON start, and its answer
        SSLEngine second = jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RelayClient.connect(recording, base, second,
                        "{\"walkthrough\":{\"keyExchange\":\"rsa\"}}"))
                .isInstanceOfSatisfying(RelayClient.RelayException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(requests.get(0)).isEqualTo("POST /api/v1/sessions application/json");
    }
}
