package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.KeyExchange;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our TLS 1.2 engine against the JDK's SSLEngine and Bouncy Castle's JSSE, both roles, every TLS 1.2 suite the
 * profiles enable, with and without client authentication, with renegotiation from either side.
 */
class Tls12JdkInteropTest {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = new byte[70_000]; // spans several records

    @BeforeAll
    static void enableLegacySuitesInThePeer() {
        JdkTlsPeer.allowLegacyAlgorithms();
        for (int i = 0; i < RESPONSE.length; i++) {
            RESPONSE[i] = (byte) (i * 31);
        }
    }

    static Stream<Arguments> suites() {
        return Profile.LEGACY.suites().stream().map(CipherSuites::require).filter(s -> !s.isTls13())
                .flatMap(s -> Stream.of(JdkTlsPeer.Implementation.values())
                        // BC JSSE no longer implements RC4 at all
                        .filter(impl -> !(impl == JdkTlsPeer.Implementation.BC_JSSE
                                && s.id().equals(CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA)))
                        .map(impl -> Arguments.of(s.id().name(), impl)));
    }

    /** Bouncy Castle JSSE does not implement renegotiation, so those tests run against SunJSSE only. */
    static Stream<Arguments> renegotiatingSuites() {
        return suites().filter(a -> a.get()[1] == JdkTlsPeer.Implementation.SUN_JSSE);
    }

    private static TlsConfig.Builder serverConfig(CipherSuite suite) {
        TestPki.Identity identity = suite.keyExchange() == KeyExchange.ECDHE_ECDSA ? TestPki.serverEcdsa() : TestPki.serverRsa();
        return TlsConfig.server().profile(Profile.LEGACY).cipherSuites(List.of(suite.id()))
                .identity(EngineEndpoint.identity(identity))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder clientConfig(CipherSuite suite) {
        return TlsConfig.client().profile(Profile.LEGACY).cipherSuites(List.of(suite.id()))
                .serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static JdkTlsPeer.Builder jdkClient(JdkTlsPeer.Implementation impl, CipherSuite suite) {
        return JdkTlsPeer.client().implementation(impl).protocols("TLSv1.2").cipherSuites(suite.id().name())
                .trustTestRoot().serverName("localhost").verifyHostName();
    }

    private static JdkTlsPeer.Builder jdkServer(JdkTlsPeer.Implementation impl, CipherSuite suite) {
        TestPki.Identity identity = suite.keyExchange() == KeyExchange.ECDHE_ECDSA ? TestPki.serverEcdsa() : TestPki.serverRsa();
        return JdkTlsPeer.server().implementation(impl).protocols("TLSv1.2").cipherSuites(suite.id().name())
                .identity(identity).trustTestRoot();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("suites")
    void ourServerCompletesHandshakeAndCarriesDataWithPeerClient(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).build());
        JdkTlsPeer client = jdkClient(impl, suite).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertEstablished(server, suite);
        assertThat(jsseName(client.session().getCipherSuite())).isEqualTo(suite.id().name());
        assertThat(server.receivedData()).isEqualTo(REQUEST);

        server.send(RESPONSE);
        Pump.run(server, client);
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);

        client.closeOutbound();
        Pump.run(server, client);
        assertThat(server.state().closeNotifyReceived()).isTrue();
        assertThat(server.state().closeNotifySent()).isTrue();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("suites")
    void ourClientCompletesHandshakeAndCarriesDataWithPeerServer(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite).build());
        JdkTlsPeer server = jdkServer(impl, suite).build();

        Pump.run(client, server);
        assertEstablished(client, suite);
        assertThat(jsseName(server.session().getCipherSuite())).isEqualTo(suite.id().name());

        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);

        client.close();
        Pump.run(client, server);
        assertThat(server.inboundDone()).isTrue();
        assertThat(client.state().closeNotifyReceived()).isTrue();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("suites")
    void ourServerAuthenticatesPeerClientCertificate(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).clientAuth(ClientAuth.REQUIRED).build());
        JdkTlsPeer client = jdkClient(impl, suite).identity(TestPki.clientRsa()).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertEstablished(server, suite);
        assertThat(server.state().session().peerCertificates()).hasSize(TestPki.clientRsa().chain().size());
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.trusted()).isTrue());
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("suites")
    void ourClientPresentsItsCertificateToPeerServer(String suiteName, JdkTlsPeer.Implementation impl) throws Exception {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite)
                .identity(EngineEndpoint.identity(TestPki.clientEcdsa())).build());
        JdkTlsPeer server = jdkServer(impl, suite).needClientAuth().build();

        Pump.run(client, server);
        assertEstablished(client, suite);
        assertThat(server.session().getPeerCertificates()[0]).isEqualTo(TestPki.clientEcdsa().leaf());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renegotiatingSuites")
    void peerClientRenegotiatesWithOurServer(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).build());
        JdkTlsPeer client = jdkClient(impl, suite).build();
        Pump.run(server, client);
        assertEstablished(server, suite);
        byte[] firstClientVerify = server.state().session().clientVerifyData();

        client.beginRenegotiation();
        client.send(REQUEST);
        Pump.run(server, client);

        assertThat(client.handshakesCompleted()).isEqualTo(2);
        assertThat(server.state().renegotiations()).isEqualTo(1);
        assertThat(server.state().session().clientVerifyData()).isNotEqualTo(firstClientVerify);
        assertThat(server.events(HandshakeEvent.HandshakeCompleted.class)).extracting(HandshakeEvent.HandshakeCompleted::renegotiation)
                .containsExactly(false, true);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renegotiatingSuites")
    void ourServerRequestsRenegotiationFromPeerClient(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).build());
        JdkTlsPeer client = jdkClient(impl, suite).build();
        Pump.run(server, client);

        server.renegotiate();
        Pump.run(server, client);
        server.send(RESPONSE);
        Pump.run(server, client);

        assertThat(client.handshakesCompleted()).isEqualTo(2);
        assertThat(server.state().renegotiations()).isEqualTo(1);
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renegotiatingSuites")
    void ourClientRenegotiatesWithPeerServer(String suiteName, JdkTlsPeer.Implementation impl) {
        CipherSuite suite = CipherSuites.require(idOf(suiteName));
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite).build());
        JdkTlsPeer server = jdkServer(impl, suite).build();
        Pump.run(client, server);

        client.renegotiate();
        Pump.run(client, server);
        client.send(REQUEST);
        Pump.run(client, server);

        assertThat(server.handshakesCompleted()).isEqualTo(2);
        assertThat(client.state().renegotiations()).isEqualTo(1);
        assertThat(client.events(HandshakeEvent.HandshakeCompleted.class)).hasSize(2);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
    }

    @org.junit.jupiter.api.Test
    void peerThatRefusesRenegotiationLeavesTheConnectionUsable() {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).build());
        JdkTlsPeer client = jdkClient(JdkTlsPeer.Implementation.BC_JSSE, suite).build();
        Pump.run(server, client);

        server.renegotiate();
        Pump.run(server, client);
        server.send(RESPONSE);
        Pump.run(server, client);

        assertThat(server.events(HandshakeEvent.AlertReceived.class)).extracting(a -> a.description().name())
                .containsExactly("no_renegotiation");
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);
    }

    /** SunJSSE still names the two legacy suites by their SSL 3.0 names. */
    private static String jsseName(String name) {
        return name.startsWith("SSL_") ? "TLS_" + name.substring(4) : name;
    }

    private static void assertEstablished(EngineEndpoint endpoint, CipherSuite suite) {
        assertThat(endpoint.state().failure()).as("failure").isNull();
        assertThat(endpoint.state().isEstablished()).isTrue();
        assertThat(endpoint.state().session().cipherSuite()).isEqualTo(suite.id());
        assertThat(endpoint.state().session().extendedMasterSecret()).as("EMS negotiated").isTrue();
        assertThat(endpoint.state().session().secureRenegotiation()).isTrue();
    }

    private static CipherSuiteId idOf(String name) {
        return CipherSuites.all().stream().map(CipherSuite::id).filter(id -> id.name().equals(name)).findFirst().orElseThrow();
    }
}
