package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.record.RecordPadding;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our TLS 1.3 engine against the JDK's SSLEngine and Bouncy Castle's JSSE, both roles: every TLS 1.3 suite, every
 * group, RSA and ECDSA certificates, client authentication, HelloRetryRequest, KeyUpdate both ways, and version
 * negotiation with TLS 1.2-only peers. {@link EngineEndpoint} round-trips our state through its serialized form
 * after every call.
 */
class Tls13JdkInteropTest {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = new byte[40_000]; // spans several records

    private static final List<CipherSuiteId> SUITES = List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256,
            CipherSuiteId.TLS_AES_256_GCM_SHA384, CipherSuiteId.TLS_CHACHA20_POLY1305_SHA256);

    @BeforeAll
    static void fillResponse() {
        JdkTlsPeer.allowLegacyAlgorithms();
        for (int i = 0; i < RESPONSE.length; i++) {
            RESPONSE[i] = (byte) (i * 31);
        }
    }

    static Stream<Arguments> suites() {
        return SUITES.stream().flatMap(s -> Stream.of(JdkTlsPeer.Implementation.values())
                .flatMap(impl -> Stream.of(Arguments.of(s.name(), impl, "RSA"), Arguments.of(s.name(), impl, "ECDSA"))));
    }

    static Stream<Arguments> groups() {
        return Stream.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1)
                .flatMap(g -> Stream.of(JdkTlsPeer.Implementation.values()).map(impl -> Arguments.of(g.name(), impl)));
    }

    private static TestPki.Identity serverIdentity(String keyType) {
        return keyType.equals("ECDSA") ? TestPki.serverEcdsa() : TestPki.serverRsa();
    }

    private static TlsConfig.Builder serverConfig(String keyType) {
        return TlsConfig.server().identity(EngineEndpoint.identity(serverIdentity(keyType)))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder clientConfig() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static JdkTlsPeer.Builder jdkClient(JdkTlsPeer.Implementation impl) {
        return JdkTlsPeer.client().implementation(impl).protocols("TLSv1.3").trustTestRoot().serverName("localhost")
                .verifyHostName();
    }

    private static JdkTlsPeer.Builder jdkServer(JdkTlsPeer.Implementation impl, String keyType) {
        return JdkTlsPeer.server().implementation(impl).protocols("TLSv1.3").identity(serverIdentity(keyType))
                .trustTestRoot();
    }

    @ParameterizedTest(name = "{0} {2} with {1}")
    @MethodSource("suites")
    void ourServerCompletesHandshakeAndCarriesDataWithPeerClient(String suiteName, JdkTlsPeer.Implementation impl,
                                                                 String keyType) {
        CipherSuiteId suite = idOf(suiteName);
        EngineEndpoint server = new EngineEndpoint(serverConfig(keyType).cipherSuites(List.of(suite)).build());
        JdkTlsPeer client = jdkClient(impl).cipherSuites(suiteName).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertEstablished(server, suite);
        assertThat(client.session().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(client.session().getCipherSuite()).isEqualTo(suiteName);
        assertThat(server.receivedData()).isEqualTo(REQUEST);

        server.send(RESPONSE);
        Pump.run(server, client);
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);

        client.closeOutbound();
        Pump.run(server, client);
        assertThat(server.state().closeNotifyReceived()).isTrue();
    }

    @ParameterizedTest(name = "{0} {2} with {1}")
    @MethodSource("suites")
    void ourClientCompletesHandshakeAndCarriesDataWithPeerServer(String suiteName, JdkTlsPeer.Implementation impl,
                                                                 String keyType) {
        CipherSuiteId suite = idOf(suiteName);
        EngineEndpoint client = new EngineEndpoint(clientConfig().cipherSuites(List.of(suite)).build());
        JdkTlsPeer server = jdkServer(impl, keyType).cipherSuites(suiteName).build();

        Pump.run(client, server);
        assertEstablished(client, suite);
        assertThat(server.session().getProtocol()).isEqualTo("TLSv1.3");

        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);

        client.close();
        Pump.run(client, server);
        assertThat(server.inboundDone()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void peerClientsDoNotOfferPostHandshakeAuthSoOurServerCannotAsk(JdkTlsPeer.Implementation impl) {
        // neither SunJSSE 17 nor BC JSSE implements RFC 8446 §4.6.2: their ClientHello has no post_handshake_auth,
        // even with a client certificate configured, so our server refuses to send a post-handshake request
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").build());
        JdkTlsPeer client = jdkClient(impl).identity(TestPki.clientEcdsa()).build();
        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(server.events(HandshakeEvent.MessageReceived.class).get(0).fields().toString())
                .doesNotContain("post_handshake_auth");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> server.requestClientCertificate(dev.handshake.tls.ClientAuth.REQUIRED))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void peerClientAcceptsOurPaddedRecords(JdkTlsPeer.Implementation impl) {
        // RFC 8446 §5.4: the receiver strips the zeros; every record of ours here is padded to a 512-byte block
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").recordPadding(RecordPadding.toMultipleOf(512))
                .build());
        JdkTlsPeer client = jdkClient(impl).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        server.send(RESPONSE);
        Pump.run(server, client);
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void peerServerAcceptsOurPaddedRecords(JdkTlsPeer.Implementation impl) {
        EngineEndpoint client = new EngineEndpoint(clientConfig().recordPadding(RecordPadding.fixed(300)).build());
        JdkTlsPeer server = jdkServer(impl, "ECDSA").build();

        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        client.send(RESPONSE);
        server.send(REQUEST);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(RESPONSE);
        assertThat(client.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("groups")
    void ourServerUsesEachGroup(String groupName, JdkTlsPeer.Implementation impl) {
        NamedGroup group = groupOf(groupName);
        EngineEndpoint server = new EngineEndpoint(serverConfig("ECDSA").groups(List.of(group)).build());
        JdkTlsPeer client = jdkClient(impl).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(server.state().session().group()).isEqualTo(group);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("groups")
    void ourClientUsesEachGroup(String groupName, JdkTlsPeer.Implementation impl) {
        NamedGroup group = groupOf(groupName);
        EngineEndpoint client = new EngineEndpoint(clientConfig().groups(List.of(group)).build());
        JdkTlsPeer server = jdkServer(impl, "RSA").build();

        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        assertThat(client.state().session().group()).isEqualTo(group);
        assertThat(helloRetryRequests(client)).isZero();
        client.send(REQUEST);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourServerSendsHelloRetryRequestWhenNoShareFits(JdkTlsPeer.Implementation impl) {
        // the peers send an x25519 share first; a server that only takes secp384r1 must ask again
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").groups(List.of(NamedGroup.SECP384R1)).build());
        JdkTlsPeer client = jdkClient(impl).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(helloRetryRequests(server)).isEqualTo(1);
        assertThat(server.events(HandshakeEvent.MessageReceived.class).stream()
                .filter(m -> m.type().equals("client_hello"))).hasSize(2);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @Test
    void ourClientAnswersHelloRetryRequest() {
        EngineEndpoint client = new EngineEndpoint(clientConfig()
                .groups(List.of(NamedGroup.X25519, NamedGroup.SECP384R1)).build());
        JdkTlsPeer server = jdkServer(JdkTlsPeer.Implementation.BC_JSSE, "RSA").namedGroups("secp384r1").build();

        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        assertThat(client.state().session().group()).isEqualTo(NamedGroup.SECP384R1);
        assertThat(helloRetryRequests(client)).isEqualTo(1);
        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("clientAuthCases")
    void ourServerAuthenticatesPeerClientCertificate(String keyType, JdkTlsPeer.Implementation impl) {
        EngineEndpoint server = new EngineEndpoint(serverConfig(keyType).clientAuth(ClientAuth.REQUIRED).build());
        TestPki.Identity clientIdentity = keyType.equals("ECDSA") ? TestPki.clientEcdsa() : TestPki.clientRsa();
        JdkTlsPeer client = jdkClient(impl).identity(clientIdentity).build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(server.state().session().peerCertificates()).hasSize(clientIdentity.chain().size());
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.trusted()).isTrue());
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("clientAuthCases")
    void ourClientPresentsItsCertificateToPeerServer(String keyType, JdkTlsPeer.Implementation impl) throws Exception {
        TestPki.Identity clientIdentity = keyType.equals("ECDSA") ? TestPki.clientEcdsa() : TestPki.clientRsa();
        EngineEndpoint client = new EngineEndpoint(clientConfig().identity(EngineEndpoint.identity(clientIdentity)).build());
        JdkTlsPeer server = jdkServer(impl, keyType).needClientAuth().build();

        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        assertThat(server.handshakeDone()).isTrue();
        client.send(REQUEST);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(server.session().getPeerCertificates()).hasSize(clientIdentity.chain().size());
    }

    static Stream<Arguments> clientAuthCases() {
        return Stream.of("RSA", "ECDSA").flatMap(k -> Stream.of(JdkTlsPeer.Implementation.values())
                .map(impl -> Arguments.of(k, impl)));
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourServerUpdatesKeysAndPeerClientFollows(JdkTlsPeer.Implementation impl) {
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").build());
        JdkTlsPeer client = jdkClient(impl).build();
        client.send(REQUEST);
        Pump.run(server, client);

        server.renegotiate(); // TLS 1.3: KeyUpdate(update_requested)
        server.send(RESPONSE);
        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);
        assertThat(server.receivedData()).isEqualTo(Bytes.concat(REQUEST, REQUEST));
        assertThat(server.events(HandshakeEvent.MessageSent.class)).filteredOn(m -> m.type().equals("key_update"))
                .singleElement().satisfies(m -> assertThat(m.step()).isEqualTo(SeedStep.RENEGOTIATION));
        // the peer answered update_requested with its own KeyUpdate: our read side moved on
        assertThat(server.events(HandshakeEvent.MessageReceived.class)).filteredOn(m -> m.type().equals("key_update"))
                .singleElement().satisfies(m -> assertThat(m.step()).isEqualTo(SeedStep.RENEGOTIATION));
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourClientUpdatesKeysAndPeerServerFollows(JdkTlsPeer.Implementation impl) {
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        JdkTlsPeer server = jdkServer(impl, "ECDSA").build();
        Pump.run(client, server);

        client.renegotiate();
        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);
        assertThat(client.events(HandshakeEvent.MessageReceived.class)).filteredOn(m -> m.type().equals("key_update"))
                .singleElement().satisfies(m -> assertThat(m.step()).isEqualTo(SeedStep.RENEGOTIATION));
    }

    @Test
    void peerClientKeyUpdateIsFollowedByOurServer() {
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").build());
        JdkTlsPeer client = jdkClient(JdkTlsPeer.Implementation.SUN_JSSE).build();
        client.send(REQUEST);
        Pump.run(server, client);

        client.beginRenegotiation(); // SunJSSE sends KeyUpdate(update_requested) on a TLS 1.3 connection
        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(server, client);
        assertThat(server.receivedData()).isEqualTo(Bytes.concat(REQUEST, REQUEST));
        assertThat(client.receivedAppData()).isEqualTo(RESPONSE);
        assertThat(server.events(HandshakeEvent.MessageReceived.class)).filteredOn(m -> m.type().equals("key_update"))
                .isNotEmpty();
        assertThat(server.events(HandshakeEvent.MessageSent.class)).filteredOn(m -> m.type().equals("key_update"))
                .isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourModernServerSpeaksTls12ToATls12OnlyClientWithTheDowngradeSentinel(JdkTlsPeer.Implementation impl) {
        EngineEndpoint server = new EngineEndpoint(serverConfig("RSA").build());
        JdkTlsPeer client = JdkTlsPeer.client().implementation(impl).protocols("TLSv1.2").trustTestRoot()
                .serverName("localhost").verifyHostName().build();

        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(server.state().session().version()).isEqualTo(ProtocolVersion.TLS1_2);
        assertThat(client.session().getProtocol()).isEqualTo("TLSv1.2");
        byte[] serverRandom = server.state().session().serverRandom();
        assertThat(Arrays.copyOfRange(serverRandom, 24, 32)).isEqualTo(ServerHello.downgradeSentinelTls12());
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @ParameterizedTest
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourModernClientSpeaksTls12ToATls12OnlyServer(JdkTlsPeer.Implementation impl) {
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        JdkTlsPeer server = JdkTlsPeer.server().implementation(impl).protocols("TLSv1.2")
                .identity(TestPki.serverEcdsa()).trustTestRoot().build();

        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        assertThat(client.state().session().version()).isEqualTo(ProtocolVersion.TLS1_2);
        client.send(REQUEST);
        server.send(RESPONSE);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);
    }

    @Test
    void ourServerAndClientTalkTls13WithEachOther() {
        EngineEndpoint server = new EngineEndpoint(serverConfig("ECDSA").clientAuth(ClientAuth.REQUIRED).build());
        EngineEndpoint client = new EngineEndpoint(clientConfig()
                .identity(EngineEndpoint.identity(TestPki.clientRsa())).build());
        EnginePump.run(client, server);
        assertThat(client.state().isEstablished()).as("failure: %s", client.state().failure()).isTrue();
        assertThat(server.state().isEstablished()).as("failure: %s", server.state().failure()).isTrue();
        assertThat(client.state().session().version()).isEqualTo(ProtocolVersion.TLS1_3);
        client.send(REQUEST);
        client.renegotiate();
        server.send(RESPONSE);
        EnginePump.run(client, server);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);
    }

    private static long helloRetryRequests(EngineEndpoint endpoint) {
        return Stream.concat(endpoint.events(HandshakeEvent.MessageSent.class).stream()
                                .filter(m -> m.type().equals("server_hello")).map(HandshakeEvent.MessageSent::encoded),
                        endpoint.events(HandshakeEvent.MessageReceived.class).stream()
                                .filter(m -> m.type().equals("server_hello")).map(HandshakeEvent.MessageReceived::encoded))
                .filter(encoded -> Arrays.equals(Arrays.copyOfRange(encoded, 6, 38), ServerHello.helloRetryRequestRandom()))
                .count();
    }

    private static void assertEstablished(EngineEndpoint endpoint, CipherSuiteId suite) {
        assertThat(endpoint.state().isFailed()).as("failure: %s", endpoint.state().failure()).isFalse();
        assertThat(endpoint.state().isEstablished()).isTrue();
        assertThat(endpoint.state().session().version()).isEqualTo(ProtocolVersion.TLS1_3);
        assertThat(endpoint.state().session().cipherSuite()).isEqualTo(suite);
        assertThat(endpoint.events(HandshakeEvent.HandshakeCompleted.class)).singleElement()
                .satisfies(c -> assertThat(c.version()).isEqualTo(ProtocolVersion.TLS1_3));
    }

    static CipherSuiteId idOf(String name) {
        return SUITES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static NamedGroup groupOf(String name) {
        return Stream.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1)
                .filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }
}
