package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * TLS 1.2 resumption by session id across relay calls: each call builds a new engine, so only the service's shared
 * session cache lets the second connection find the first one's session. Tickets are off on the service, so the JDK's
 * SSLEngine (which asks for a ticket but gets none) can only resume by the id it was given; the JDK reads its own
 * ticket switch once per JVM, which is why the server side turns tickets off here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "handshake.tickets.enabled=false", "handshake.proxy.enabled=false"})
class RelaySessionIdResumptionTest {

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    @Test
    void theJdkClientResumesTls12ByItsSessionIdOnALaterRelaySession() throws Exception {
        // one context for both connections: SunJSSE resumes from its client session cache, keyed by host and port
        SSLContext client = RelayApiTest.jdkContext(ca);
        URI base = URI.create("http://localhost:" + port);
        ApiCalls api = new ApiCalls(port);
        byte[] firstId;
        try (RelayClient tls = RelayClient.connect(base, engine(client))) {
            assertThat(tls.session().getProtocol()).isEqualTo("TLSv1.2");
            firstId = tls.session().getId();
            assertThat(firstId).as("the service gave the session an id").hasSize(32);
            assertThat(api.get("/api/v1/sessions/" + tls.sessionId()).json().get("negotiated").get("resumed")
                    .asBoolean()).isFalse();
        }
        try (RelayClient tls = RelayClient.connect(base, engine(client))) {
            JsonNode view = api.get("/api/v1/sessions/" + tls.sessionId()).json();
            assertThat(view.get("negotiated").get("resumed").asBoolean()).as("%s", view).isTrue();
            assertThat(view.get("transcript").toString()).as("an abbreviated handshake: no certificate, no key "
                    + "exchange").doesNotContain("certificate").doesNotContain("key_exchange");
            // the client agrees: it resumed the session it was given, id and all
            assertThat(tls.session().getId()).isEqualTo(firstId);
            byte[] data = "after resumption".getBytes(StandardCharsets.US_ASCII);
            assertThat(tls.exchange(data)).isEqualTo(data);
        }
    }

    private static SSLEngine engine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.2"});
        return engine;
    }
}
