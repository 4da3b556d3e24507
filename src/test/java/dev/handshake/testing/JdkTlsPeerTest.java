package dev.handshake.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.testing.JdkTlsPeer.Implementation;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the sans-IO peer harness before our engine depends on it: the JDK's and Bouncy Castle's JSSE talk to each
 * other through {@link JdkTlsPeer}, in both roles, for TLS 1.2 and 1.3.
 */
class JdkTlsPeerTest {

    private static final int MAX_FLIGHTS = 40;

    static Stream<Arguments> pairsAndVersions() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            for (Implementation client : Implementation.values()) {
                for (Implementation server : Implementation.values()) {
                    all.add(Arguments.of(client, server, version));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairsAndVersions")
    void handshakesAndExchangesApplicationDataBothWays(Implementation clientImpl, Implementation serverImpl, String version)
            throws Exception {
        JdkTlsPeer client = JdkTlsPeer.client().implementation(clientImpl).protocols(version)
                .trustTestRoot().serverName("localhost").build();
        JdkTlsPeer server = JdkTlsPeer.server().implementation(serverImpl).protocols(version)
                .identity(TestPki.serverRsa()).build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isNull();
        assertThat(server.failure()).isNull();
        assertThat(client.handshakeDone()).isTrue();
        assertThat(server.handshakeDone()).isTrue();
        assertThat(client.session().getProtocol()).isEqualTo(version);
        assertThat(server.session().getCipherSuite()).isEqualTo(client.session().getCipherSuite());
        assertThat(client.session().getPeerCertificates()[0]).isEqualTo(TestPki.serverRsa().leaf());

        client.send(bytes("ping from client"));
        TlsPeer.converse(client, server, MAX_FLIGHTS);
        server.send(bytes("pong from server"));
        TlsPeer.converse(server, client, MAX_FLIGHTS);

        assertThat(text(server.receivedAppData())).isEqualTo("ping from client");
        assertThat(text(client.receivedAppData())).isEqualTo("pong from server");
        assertThat(server.receivedAppData()).as("drained").isEmpty();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairsAndVersions")
    void authenticatesAnEcdsaClientToAServerThatNeedsIt(Implementation clientImpl, Implementation serverImpl, String version)
            throws Exception {
        JdkTlsPeer client = JdkTlsPeer.client().implementation(clientImpl).protocols(version)
                .identity(TestPki.clientEcdsa()).trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().implementation(serverImpl).protocols(version)
                .identity(TestPki.serverEcdsa()).trustTestRoot()
                .needClientAuth().build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(server.failure()).isNull();
        assertThat(server.handshakeDone()).isTrue();
        X509Certificate clientLeaf = (X509Certificate) server.session().getPeerCertificates()[0];
        assertThat(clientLeaf).isEqualTo(TestPki.clientEcdsa().leaf());
        assertThat(client.session().getPeerCertificates()[0]).isEqualTo(TestPki.serverEcdsa().leaf());
        if (version.equals("TLSv1.2")) {
            assertThat(client.session().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_");
        }
    }

    @Test
    void serverThatNeedsClientAuthFailsAClientWithoutCertificate() {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2")
                .identity(TestPki.serverRsa()).trustTestRoot()
                .needClientAuth().build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(server.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(client.failure()).as("the client received the server's alert").isNotNull();
        assertThat(server.handshakeDone()).isFalse();
    }

    @Test
    void clientRejectsAServerFromAnUntrustedCa() {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.3").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.3")
                .identity(TestPki.untrustedServer()).build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(client.handshakeDone()).isFalse();
        assertThat(server.failure()).as("the server received the client's alert").isNotNull();
    }

    @Test
    void clientThatVerifiesHostNamesRejectsAServerCertificateForAnotherName() {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot()
                .peer("localhost", 443).verifyHostName().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2")
                .identity(TestPki.wrongNameServer()).build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(client.failure()).hasRootCauseMessage("No subject alternative DNS name matching localhost found.");
    }

    @ParameterizedTest
    @MethodSource("legacySuites")
    void legacySuitesWorkBetweenJdkPeersBecauseTheHarnessReEnablesThem(String suite) {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").cipherSuites(suite)
                .trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2").cipherSuites(suite)
                .identity(TestPki.serverRsa()).build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);
        client.send(bytes("legacy"));
        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isNull();
        assertThat(server.session().getCipherSuite()).isEqualTo(suite);
        assertThat(text(server.receivedAppData())).isEqualTo("legacy");
    }

    static Stream<String> legacySuites() {
        // SunJSSE's own names: the SSL_ prefix predates TLS. TLS_RSA_WITH_3DES_EDE_CBC_SHA is its alias.
        return Stream.of("SSL_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void legacySuitesSurviveAnSslContextBuiltBeforeTheHarness() throws Exception {
        // JSSE freezes jdk.tls.disabledAlgorithms at its first SSLContext; LegacyAlgorithmsSessionListener relaxes it
        // before any test, so a context built first (here, or by another test class) must not lose the legacy suites.
        javax.net.ssl.SSLContext early = javax.net.ssl.SSLContext.getInstance("TLS");
        early.init(null, null, null);
        early.createSSLEngine();

        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").cipherSuites("SSL_RSA_WITH_3DES_EDE_CBC_SHA")
                .trustTestRoot().build();

        assertThat(client.engine().getEnabledCipherSuites()).containsExactly("SSL_RSA_WITH_3DES_EDE_CBC_SHA");
    }

    @Test
    void bouncyCastleClientNegotiatesThreeDesWithTheJdkServer() {
        JdkTlsPeer client = JdkTlsPeer.client().bouncyCastle().protocols("TLSv1.2")
                .cipherSuites("TLS_RSA_WITH_3DES_EDE_CBC_SHA").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2").cipherSuites("SSL_RSA_WITH_3DES_EDE_CBC_SHA")
                .identity(TestPki.serverRsa()).build();

        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isNull();
        assertThat(client.session().getCipherSuite()).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    }

    @Test
    void unsupportedSuiteIsRefusedWhenThePeerIsBuilt() {
        assertThatThrownBy(() -> JdkTlsPeer.client().cipherSuites("TLS_NO_SUCH_SUITE").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS_NO_SUCH_SUITE is not supported");
    }

    @Test
    void renegotiatesAnEstablishedTls12Connection() {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2")
                .identity(TestPki.serverRsa()).build();
        TlsPeer.converse(client, server, MAX_FLIGHTS);
        assertThat(client.handshakesCompleted()).isEqualTo(1);

        client.beginRenegotiation();
        TlsPeer.converse(client, server, MAX_FLIGHTS);

        assertThat(client.failure()).isNull();
        assertThat(server.failure()).isNull();
        assertThat(client.handshakesCompleted()).isEqualTo(2);
        assertThat(server.handshakesCompleted()).isEqualTo(2);
    }

    @Test
    void recordsDeliveredOneByteAtATimeStillHandshake() {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.3").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.3")
                .identity(TestPki.serverEcdsa()).build();

        byte[] flight = client.produce();
        TlsPeer to = server;
        TlsPeer from = client;
        for (int i = 0; i < 10 && flight.length > 0; i++) {
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            for (byte b : flight) {
                answer.writeBytes(to.receive(new byte[] {b}));
            }
            flight = answer.toByteArray();
            TlsPeer swap = to;
            to = from;
            from = swap;
        }

        assertThat(client.handshakeDone()).isTrue();
        assertThat(server.handshakeDone()).isTrue();
    }

    @Test
    void closeNotifyReachesThePeer() throws SSLPeerUnverifiedException {
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.3").trustTestRoot().build();
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.3")
                .identity(TestPki.serverRsa()).build();
        TlsPeer.converse(client, server, MAX_FLIGHTS);

        client.closeOutbound();
        server.receive(client.produce());

        assertThat(server.inboundDone()).isTrue();
        assertThat(server.failure()).isNull();
        assertThat(client.outboundDone()).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
