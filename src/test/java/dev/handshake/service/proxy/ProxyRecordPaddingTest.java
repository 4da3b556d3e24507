package dev.handshake.service.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.testing.OpenSslProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A route with {@code record-padding: 256} pads every TLS 1.3 record it sends to a multiple of 256 bytes of
 * TLSInnerPlaintext, seen from {@code openssl s_client -msg}, which prints each received record's header.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "handshake.proxy.port=0", "handshake.proxy.default-route.name=padded",
        "handshake.proxy.default-route.record-padding=256"})
class ProxyRecordPaddingTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** s_client -msg: a received record's header, then its five bytes in hex on the next line. */
    static final Pattern RECEIVED_HEADER = Pattern.compile(
            "<<< [^\\n]*RecordHeader \\[length 0005\\]\\s*\\n\\s*([0-9a-f]{2}) [0-9a-f]{2} [0-9a-f]{2} ([0-9a-f]{2}) ([0-9a-f]{2})");
    /** AES-GCM and ChaCha20-Poly1305 alike. */
    static final int TAG_LENGTH = 16;

    @Autowired
    ProxyServer proxy;

    @Test
    void everyProtectedTls13RecordFromTheProxyCarriesAMultipleOf256Bytes() {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        List<Integer> lengths;
        try (OpenSslProcess client = OpenSslProcess.client(proxy.port()).serverName("localhost").tls13()
                .arg("-msg").start()) {
            client.write("GET /api/v1/sessions/none HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            client.expectOutput("HTTP/1.1 404", WAIT);
            lengths = protectedRecordLengths(client.output());
        }
        // EncryptedExtensions, Certificate, CertificateVerify, Finished, tickets, and the upstream's answer
        assertThat(lengths).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lengths).allSatisfy(length -> assertThat((length - TAG_LENGTH) % 256)
                .as("record of %d bytes: TLSInnerPlaintext of %d", length, length - TAG_LENGTH).isZero());
    }

    @Test
    void tls12StillWorksAndIsNotPadded() {
        Assumptions.assumeTrue(OpenSslProcess.available(), "openssl is installed");
        try (OpenSslProcess client = OpenSslProcess.client(proxy.port()).serverName("localhost").tls12().start()) {
            client.write("GET /api/v1/sessions/none HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            client.expectOutput("HTTP/1.1 404", WAIT);
        }
    }

    /** The lengths of the application_data records (type 23: every protected TLS 1.3 record) the client received. */
    static List<Integer> protectedRecordLengths(String msgOutput) {
        List<Integer> lengths = new ArrayList<>();
        Matcher header = RECEIVED_HEADER.matcher(msgOutput);
        while (header.find()) {
            if (header.group(1).equals("17")) {
                lengths.add(Integer.parseInt(header.group(2) + header.group(3), 16));
            }
        }
        return lengths;
    }
}
