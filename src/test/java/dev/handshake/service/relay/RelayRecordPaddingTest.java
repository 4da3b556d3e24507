package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.HttpTransport;
import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The relay session option {@code recordPadding}: every TLS 1.3 record the service sends is padded to a multiple of
 * that many bytes, read from the raw answers the JDK's SSLEngine receives through RelayClient.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "handshake.proxy.enabled=false")
class RelayRecordPaddingTest {

    /** AES-GCM and ChaCha20-Poly1305 alike. */
    static final int TAG_LENGTH = 16;

    @LocalServerPort
    int port;

    @Autowired
    LocalCertificateAuthority ca;

    @Test
    void aPaddedSessionSendsRecordsOfWhole256ByteBlocksAndAnUnpaddedOneDoesNot() throws Exception {
        List<Integer> padded = protectedRecordLengths("{\"version\":\"TLSv1.3\",\"recordPadding\":256}");
        assertThat(padded).hasSizeGreaterThanOrEqualTo(3);
        assertThat(padded).allSatisfy(length -> assertThat((length - TAG_LENGTH) % 256)
                .as("record of %d bytes", length).isZero());

        // the control: the same exchange without the option does not happen to produce whole blocks
        List<Integer> unpadded = protectedRecordLengths("{\"version\":\"TLSv1.3\"}");
        assertThat(unpadded).anySatisfy(length -> assertThat((length - TAG_LENGTH) % 256).isNotZero());
    }

    @Test
    void theOptionIsValidatedAndShownInTheSessionView() throws Exception {
        ApiCalls api = new ApiCalls(port);
        assertThat(api.send("POST", "/api/v1/sessions?recordPadding=16385", "application/octet-stream", new byte[0])
                .status()).isEqualTo(400);
        assertThat(api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\",\"recordPadding\":256}").status())
                .isEqualTo(400);
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\",\"recordPadding\":512}").json().get("id")
                .asString();
        assertThat(api.get("/api/v1/sessions/" + id).json().get("options").get("recordPadding").asInt())
                .isEqualTo(512);
    }

    /** One TLS 1.3 handshake and an exchange through RelayClient; the lengths of the protected records answered. */
    private List<Integer> protectedRecordLengths(String options) throws Exception {
        List<byte[]> answers = new CopyOnWriteArrayList<>();
        HttpTransport recording = (method, uri, contentType, body, ifMatch) -> {
            HttpTransport.Response response = HttpTransport.urlConnection().exchange(method, uri, contentType, body,
                    ifMatch);
            answers.add(response.body());
            return response;
        };
        SSLEngine engine = RelayApiTest.jdkClient(ca, "TLS_AES_128_GCM_SHA256");
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        try (RelayClient tls = RelayClient.connect(recording, URI.create("http://localhost:" + port), engine,
                options)) {
            assertThat(tls.session().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(tls.exchange(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        }
        List<Integer> lengths = new ArrayList<>();
        for (byte[] answer : answers) {
            // every answer of the relay API is whole records: type, version, length, fragment
            for (int at = 0; at + 5 <= answer.length; ) {
                int length = ((answer[at + 3] & 0xff) << 8) | (answer[at + 4] & 0xff);
                if (answer[at] == 23) {
                    lengths.add(length);
                }
                at += 5 + length;
            }
        }
        return lengths;
    }
}
