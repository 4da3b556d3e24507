package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.session.InMemorySessionRepository;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.tls.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/sessions/{id}/certificate-request}: TLS 1.3 post-handshake authentication over the relay API,
 * with a real client that offers it. SunJSSE and BC JSSE never offer post_handshake_auth, so {@code RelayClient} cannot
 * carry this; {@code openssl s_client -enable_pha} does, and a small bridge in this test moves its bytes between a
 * local socket and the relay API, as a relay user's program would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.enabled=false")
class RelayPostHandshakeAuthTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String OCTETS = "application/octet-stream";

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    @Autowired
    InMemorySessionRepository repository;

    @TempDir
    Path dir;

    @Test
    void openSslAnswersTheCertificateRequestAndTheSessionShowsItsCertificate() throws Exception {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        Identity client = ca.issueEcdsa("pha client", List.of(), LocalCertificateAuthority.Purpose.CLIENT,
                Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));
        writePem(client);
        ApiCalls api = new ApiCalls(port);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OpenSslProcess openssl = OpenSslProcess.client(listener.getLocalPort()).tls13()
                     .arg("-enable_pha", "-cert", dir.resolve("chain.pem").toString(),
                             "-key", dir.resolve("key.pem").toString()).start();
             Socket socket = listener.accept()) {
            RelayBridge bridge = new RelayBridge(socket, api);
            bridge.start("?version=TLSv1.3");
            bridge.forward("/flights"); // the client's Finished
            openssl.expectOutput("Verify return code", WAIT);
            JsonNode view = api.get(bridge.session).json();
            assertThat(view.get("status").asString()).isEqualTo("ESTABLISHED");
            assertThat(view.get("peerCertificates")).as("no certificate during the handshake").isEmpty();
            String id = bridge.session.substring(bridge.session.lastIndexOf('/') + 1);
            // the handshake's transcript for a later CertificateRequest is kept as a suspended hash, not as messages
            assertThat(repository.find(id).orElseThrow().states().get(0).length).isLessThan(1200);
            assertThat(repository.storedBytes(id)).as("issue 4: under 8 KiB per stored established session")
                    .isBetween(1, 8 * 1024);

            ApiCalls.Answer request = api.send("POST", bridge.session + "/certificate-request?policy=required", null,
                    null, "If-Match", bridge.etag);
            assertThat(request.status()).as(request.text()).isEqualTo(200);
            assertThat(request.bytes()).as("one protected record: the CertificateRequest").isNotEmpty();
            assertThat(request.bytes()[0]).isEqualTo((byte) 23);
            bridge.etag = request.etag();
            bridge.write(request.bytes());
            bridge.forward("/flights"); // Certificate, CertificateVerify, Finished

            view = api.get(bridge.session).json();
            assertThat(view.get("status").asString()).as("%s", view).isEqualTo("ESTABLISHED");
            assertThat(view.get("peerCertificates")).hasSize(1);
            assertThat(view.get("peerCertificates").get(0).get("subject").asString()).contains("CN=pha client");
            assertThat(view.get("transcript").toString()).contains("certificate_verify");
            assertThat(repository.storedBytes(id)).as("under 8 KiB with the client's certificate")
                    .isBetween(1, 8 * 1024);

            // the connection goes on: data both ways after the exchange
            openssl.write("after post-handshake auth\n");
            bridge.forward("/records");
            openssl.expectOutput("after post-handshake auth", WAIT);
        }
    }

    @Test
    void aJdkClientOfferingNoPostHandshakeAuthGetsAWrongStateProblemAndNothingIsSent() throws Exception {
        SSLEngine engine = RelayApiTest.jdkClient(ca, "TLS_AES_128_GCM_SHA256");
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        ApiCalls api = new ApiCalls(port);
        try (RelayClient tls = RelayClient.connect(URI.create("http://localhost:" + port), engine,
                "{\"version\":\"TLSv1.3\"}")) {
            String path = "/api/v1/sessions/" + tls.sessionId();
            long versionBefore = api.get(path).json().get("version").asLong();
            ApiCalls.Answer refused = api.send("POST", path + "/certificate-request", null, null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asString()).endsWith("/wrong-state");
            assertThat(refused.json().get("detail").asString()).contains("did not offer post_handshake_auth");
            assertThat(api.get(path).json().get("version").asLong()).as("the session did not move")
                    .isEqualTo(versionBefore);
            byte[] data = {7, 7};
            assertThat(tls.exchange(data)).as("and still works").containsExactly(7, 7);
        }
    }

    @Test
    void tls12SessionsBadPoliciesAndWalkthroughsAreRefusedAsProblems() throws Exception {
        ApiCalls api = new ApiCalls(port);
        try (RelayClient tls = RelayClient.connect(URI.create("http://localhost:" + port),
                RelayApiTest.jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))) {
            String path = "/api/v1/sessions/" + tls.sessionId() + "/certificate-request";
            ApiCalls.Answer tls12 = api.send("POST", path + "?policy=optional", null, null);
            assertThat(tls12.status()).isEqualTo(409);
            assertThat(tls12.json().get("detail").asString()).contains("TLS 1.3");
            ApiCalls.Answer badPolicy = api.send("POST", path + "?policy=sometimes", null, null);
            assertThat(badPolicy.status()).isEqualTo(400);
            assertThat(badPolicy.json().get("field").asString()).isEqualTo("policy");
        }
        String walkthrough = api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}").json().get("id")
                .asString();
        ApiCalls.Answer wrongMode = api.send("POST", "/api/v1/sessions/" + walkthrough + "/certificate-request",
                null, null);
        assertThat(wrongMode.status()).isEqualTo(409);
        assertThat(wrongMode.json().get("type").asString()).endsWith("/wrong-mode");
    }

    private void writePem(Identity identity) throws IOException {
        try (Writer out = Files.newBufferedWriter(dir.resolve("key.pem"), StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(identity.privateKey(), null));
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve("chain.pem"), StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : identity.chain()) {
                pem.writeObject(certificate);
            }
        }
    }

    /**
     * A relay user's program in miniature: what the TCP client writes is posted to the relay session, and the answer
     * is written back to it.
     */
    static final class RelayBridge {
        private final Socket socket;
        private final ApiCalls api;
        String session;
        String etag;

        RelayBridge(Socket socket, ApiCalls api) {
            this.socket = socket;
            this.api = api;
        }

        /** The client's first flight starts the session (the octet-stream start); the answer goes back. */
        void start(String query) throws IOException {
            ApiCalls.Answer created = api.send("POST", "/api/v1/sessions" + query, OCTETS, readFlight());
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            session = created.location();
            etag = created.etag();
            write(created.bytes());
        }

        /** The client's next flight to {@code endpoint} ({@code /flights} or {@code /records}); the answer goes back. */
        void forward(String endpoint) throws IOException {
            ApiCalls.Answer answer = api.send("POST", session + endpoint, OCTETS, readFlight(), "If-Match", etag);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            etag = answer.etag();
            write(answer.bytes());
        }

        void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** What the client writes next: waits for its first bytes, then takes what follows until it pauses. */
        private byte[] readFlight() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[32 * 1024];
            socket.setSoTimeout((int) WAIT.toMillis());
            int n = in.read(buffer);
            assertThat(n).as("the client wrote something").isPositive();
            socket.setSoTimeout(200);
            try {
                for (int more; n < buffer.length && (more = in.read(buffer, n, buffer.length - n)) > 0; ) {
                    n += more;
                }
            } catch (SocketTimeoutException pause) {
                // the client is waiting for our answer
            }
            return Arrays.copyOf(buffer, n);
        }
    }
}
