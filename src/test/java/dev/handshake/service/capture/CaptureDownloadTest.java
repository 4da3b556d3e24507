package dev.handshake.service.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.service.ApiCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Walkthrough captures opened by {@code tshark}: the TCP stream is whole, and with the key log in the Decryption
 * Secrets Block the Finished messages and the application data come out decrypted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CaptureDownloadTest {

    @LocalServerPort
    int port;
    ApiCalls api;

    @BeforeEach
    void api() {
        api = new ApiCalls(port);
    }

    static Path save(String name, byte[] bytes) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "captures"));
        return Files.write(dir.resolve(name + ".pcapng"), bytes);
    }

    Path walkthroughCapture(String version, String keyExchange, String clientAuth) throws Exception {
        ApiCalls.Answer created = api.postJson("/api/v1/sessions", """
                {"mode":"walkthrough","version":"%s","clientAuth":"%s","walkthrough":{"keyExchange":"%s"}}"""
                .formatted(version, clientAuth, keyExchange));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asString();
        ApiCalls.Answer steps = api.postJson("/api/v1/sessions/" + id + "/steps?to=11", "");
        assertThat(steps.status()).as(steps.text()).isEqualTo(200);
        ApiCalls.Answer capture = api.get("/api/v1/sessions/" + id + "/capture");
        assertThat(capture.status()).isEqualTo(200);
        assertThat(capture.contentType()).isEqualTo("application/vnd.tcpdump.pcap");
        // pcapng Section Header Block, little-endian byte-order magic
        assertThat(capture.bytes()).startsWith(0x0A, 0x0D, 0x0D, 0x0A);
        return save("walkthrough-" + version + "-" + keyExchange + "-" + clientAuth, capture.bytes());
    }

    @ParameterizedTest(name = "{0} {1}, client auth {2}")
    @CsvSource({"TLSv1.2,rsa,none", "TLSv1.2,ecdhe,required", "TLSv1.3,ecdhe,none", "TLSv1.3,ecdhe,required"})
    void tsharkDecryptsTheWalkthroughsFinishedMessagesAndApplicationData(String version, String kx, String auth)
            throws Exception {
        assumeTrue(Tshark.available(), "tshark is not installed (apt-get install tshark)");
        Path file = walkthroughCapture(version, kx, auth);

        // the TCP stream is whole: no gaps, retransmissions or bad checksums as Wireshark sees them
        assertThat(Tshark.fields(file, "tcp.analysis.flags || ip.checksum.status == 0", "frame.number")).isEmpty();
        assertThat(Tshark.fields(file, "tcp.flags.syn == 1", "ip.src")).containsExactly("192.0.2.1", "198.51.100.1");

        // Finished travels encrypted in both versions: seeing it decoded proves the key log decrypts the handshake
        List<String> finished = Tshark.fields(file, "tls.handshake.type == 20", "ip.src");
        assertThat(finished).containsExactlyInAnyOrder("192.0.2.1", "198.51.100.1");
        assertThat(Tshark.fields(file, "tls.handshake.type == 1", "tls.handshake.type")).hasSize(1);

        // step 10's request and response, decrypted and dissected as HTTP (port 443 carries HTTP over TLS)
        assertThat(Tshark.fields(file, "http.request", "http.request.method", "http.request.uri"))
                .containsExactly("GET|/");
        assertThat(Tshark.fields(file, "http.response", "http.response.code", "http.file_data"))
                .singleElement().asString().startsWith("200|");
        if (version.equals("TLSv1.3")) {
            // TLS 1.3 encrypts the certificate too
            assertThat(Tshark.fields(file, "tls.handshake.type == 11", "ip.src")).contains("198.51.100.1");
        }
    }

    @Test
    void aCaptureWithoutItsKeyLogStaysEncrypted() throws Exception {
        assumeTrue(Tshark.available(), "tshark is not installed (apt-get install tshark)");
        Path file = walkthroughCapture("TLSv1.2", "ecdhe", "none");
        // the same records with the Decryption Secrets Block stripped: the proof above is the key log's doing
        byte[] bytes = Files.readAllBytes(file);
        Path stripped = save("walkthrough-without-keylog", stripDecryptionSecrets(bytes));
        assertThat(Tshark.fields(stripped, "tls.handshake.type == 1", "ip.src")).containsExactly("192.0.2.1");
        assertThat(Tshark.fields(stripped, "tls.handshake.type == 20", "ip.src")).isEmpty();
        assertThat(Tshark.fields(stripped, "http.request", "http.request.method")).isEmpty();
    }

    @Test
    void relayCapturesCarryNoKeyLogUnlessKeyExportIsConfigured() throws Exception {
        assumeTrue(Tshark.available(), "tshark is not installed (apt-get install tshark)");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        dev.handshake.testing.JdkTlsPeer client = dev.handshake.testing.JdkTlsPeer.client().protocols("TLSv1.2")
                .trust(trust).build();
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        byte[] next = client.produce();
        for (int round = 0; round < 3 && !client.handshakeDone(); round++) {
            ApiCalls.Answer answer = api.send("POST", "/api/v1/sessions/" + id + "/flights", "application/octet-stream", next);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            next = client.receive(answer.bytes());
        }
        assertThat(client.handshakeDone()).isTrue();
        ApiCalls.Answer capture = api.get("/api/v1/sessions/" + id + "/capture");
        assertThat(capture.status()).isEqualTo(200);
        Path file = save("relay-without-key-export", capture.bytes());
        // the records are there, in both directions, but nothing decrypts: off by default
        assertThat(Tshark.fields(file, "tls.handshake.type == 1 || tls.handshake.type == 2", "ip.src"))
                .containsExactly("192.0.2.1", "198.51.100.1");
        assertThat(Tshark.fields(file, "tls.handshake.type == 20", "ip.src")).isEmpty();
        assertThat(new String(capture.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("CLIENT_RANDOM");
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.handshake.service.certificate.LocalCertificateAuthority ca;

    @Test
    void anUnknownSessionHasNoCapture() {
        ApiCalls.Answer answer = api.get("/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/capture");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text()).contains("session-not-found");
    }

    /** The pcapng blocks of {@code file} without its Decryption Secrets Blocks (type 0x0000000A). */
    static byte[] stripDecryptionSecrets(byte[] file) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        boolean sawDsb = false;
        while (offset < file.length) {
            int type = b.getInt(offset);
            int length = b.getInt(offset + 4);
            if (type == 0x0A) {
                sawDsb = true;
            } else {
                out.write(file, offset, length);
            }
            offset += length;
        }
        assertThat(sawDsb).as("the walkthrough capture has a Decryption Secrets Block").isTrue();
        return out.toByteArray();
    }
}
