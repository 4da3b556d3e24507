package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.testing.OpenSslProcess;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.wire.CipherSuiteId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TLS 1.2 suite the proxy's default profile enables, negotiated by {@code openssl s_client} through the
 * listener (RSA and ECDSA certificates on the route), with data echoed by the upstream.
 */
class TlsProxyOpenSslSuitesTest {

    private static TestUpstream upstream;
    private static ProxyTestRig proxy;
    private static final Map<String, String> OPENSSL_NAMES = new HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpenSslProcess.available(), "openssl is on the PATH");
        Process ciphers = new ProcessBuilder("openssl", "ciphers", "-stdname", "ALL:@SECLEVEL=0").start();
        for (String line : new String(ciphers.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length > 2 && parts[1].equals("-")) {
                OPENSSL_NAMES.put(parts[0], parts[2]);
            }
        }
        upstream = new TestUpstream(TestUpstream.echo());
        proxy = ProxyTestRig.builder().ecdsaToo().defaultUpstream(upstream.address()).start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static Stream<String> tls12Suites() {
        return TlsConfig.server().build().enabledSuites().stream()
                .filter(s -> !isTls13(s)).map(CipherSuiteId::name);
    }

    @ParameterizedTest
    @MethodSource("tls12Suites")
    void opensslNegotiatesTheSuiteThroughTheProxy(String suite) {
        String openSslName = OPENSSL_NAMES.get(suite);
        assumeTrue(openSslName != null, "this OpenSSL knows " + suite);
        try (OpenSslProcess client = OpenSslProcess.client(proxy.port()).tls12().cipher(openSslName + ":@SECLEVEL=0")
                .serverName("localhost").trustTestRoot(dir).verifyServer("localhost").start()) {
            client.expectOutput("Verify return code: 0 (ok)", Duration.ofSeconds(20));
            client.write("ping " + suite + "\n");
            client.expectOutput("ping " + suite, Duration.ofSeconds(20));
            assertTrue(client.output().contains("Cipher is " + openSslName), client.transcript());
            assertTrue(client.output().contains("Protocol  : TLSv1.2")
                    || client.output().contains("TLSv1.2, Cipher is"), client.transcript());
        }
        assertEquals(0, proxy.count(ProxyConnections.Counter.HANDSHAKE_FAILURES));
    }

    private static boolean isTls13(CipherSuiteId suite) {
        // RFC 8446 §B.4: the TLS 1.3 suites are 0x13xx
        return (suite.code() >> 8) == 0x13;
    }
}
