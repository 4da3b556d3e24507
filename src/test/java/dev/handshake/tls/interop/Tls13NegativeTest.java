package dev.handshake.tls.interop;

import static dev.handshake.tls.interop.PlaintextHandshake.firstMessage;
import static dev.handshake.tls.interop.PlaintextHandshake.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Fault;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareEntry;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.message.extension.SupportedVersionsClient;
import dev.handshake.tls.message.extension.SupportedVersionsServer;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.TestPki;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 attacks and broken peers, each answered with the alert RFC 8446 specifies: a second ClientHello that
 * changes after HelloRetryRequest, key shares for groups never offered, a wrong Finished, a bad CertificateVerify, an
 * invalid curve point, and a downgrade to TLS 1.2 that the server's random gives away.
 */
class Tls13NegativeTest {

    private static TlsConfig.Builder serverConfig() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder clientConfig() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    @Test
    void secondClientHelloThatChangesMoreThanTheShareIsIllegalParameter() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().groups(List.of(NamedGroup.SECP384R1)).build());
        List<CipherSuiteId> suites = List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256);
        ClientHello first = clientHello(suites, List.of(NamedGroup.X25519, NamedGroup.SECP384R1),
                List.of(share(NamedGroup.X25519)), List.of());
        server.receive(record(first.encode()));
        ServerHello retry = ServerHello.decode(HandshakeFrame.parse(firstMessage(server.takeOutput())).body());
        assertThat(retry.isHelloRetryRequest()).isTrue();
        Extension cookie = retry.extension(ExtensionType.COOKIE).orElseThrow();

        // the same second ClientHello with one more suite: RFC 8446 §4.1.2 forbids the change
        ClientHello changed = clientHello(List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256, CipherSuiteId.TLS_AES_256_GCM_SHA384),
                List.of(NamedGroup.X25519, NamedGroup.SECP384R1), List.of(share(NamedGroup.SECP384R1)), List.of(cookie),
                first.random());
        server.receive(record(changed.encode()));
        assertAlertSent(server, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void secondClientHelloThatChangesOnlyTheShareAndAddsTheCookieIsAccepted() {
        // the control for the test above: the same exchange, done right, goes on
        EngineEndpoint server = new EngineEndpoint(serverConfig().groups(List.of(NamedGroup.SECP384R1)).build());
        List<CipherSuiteId> suites = List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256);
        ClientHello first = clientHello(suites, List.of(NamedGroup.X25519, NamedGroup.SECP384R1),
                List.of(share(NamedGroup.X25519)), List.of());
        server.receive(record(first.encode()));
        ServerHello retry = ServerHello.decode(HandshakeFrame.parse(firstMessage(server.takeOutput())).body());
        ClientHello second = clientHello(suites, List.of(NamedGroup.X25519, NamedGroup.SECP384R1),
                List.of(share(NamedGroup.SECP384R1)), List.of(retry.extension(ExtensionType.COOKIE).orElseThrow()),
                first.random());
        server.receive(record(second.encode()));
        assertThat(server.state().isFailed()).as("failure: %s", server.state().failure()).isFalse();
        assertThat(server.takeOutput()).isNotEmpty();
    }

    @Test
    void secondClientHelloWithAnotherCookieIsIllegalParameter() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().groups(List.of(NamedGroup.SECP384R1)).build());
        List<CipherSuiteId> suites = List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256);
        ClientHello first = clientHello(suites, List.of(NamedGroup.X25519, NamedGroup.SECP384R1),
                List.of(share(NamedGroup.X25519)), List.of());
        server.receive(record(first.encode()));
        server.takeOutput();
        ClientHello second = clientHello(suites, List.of(NamedGroup.X25519, NamedGroup.SECP384R1),
                List.of(share(NamedGroup.SECP384R1)), List.of(new CookieExtension(new byte[32]).toExtension()),
                first.random());
        server.receive(record(second.encode()));
        assertAlertSent(server, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void clientKeyShareForAGroupOutsideSupportedGroupsIsIllegalParameter() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().build());
        ClientHello hello = clientHello(List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256), List.of(NamedGroup.SECP256R1),
                List.of(share(NamedGroup.X25519)), List.of());
        server.receive(record(hello.encode()));
        assertAlertSent(server, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void serverKeyShareForAGroupWeSentNoShareForIsIllegalParameter() {
        EngineEndpoint client = new EngineEndpoint(clientConfig().build()); // shares for x25519 and secp256r1
        ClientHello hello = ClientHello.decode(HandshakeFrame.parse(firstMessage(client.takeOutput())).body());
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, new byte[32], hello.sessionId(),
                CipherSuiteId.TLS_AES_128_GCM_SHA256, 0,
                List.of(new KeyShareServerHello(share(NamedGroup.SECP384R1)).toExtension(),
                        new SupportedVersionsServer(ProtocolVersion.TLS1_3).toExtension()));
        client.receive(record(serverHello.encode()));
        assertAlertSent(client, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void clientShareThatIsNotOnTheCurveIsIllegalParameter() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().build());
        byte[] offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[32] = 1; // x = 1
        offCurve[64] = 1; // y = 1: not a point of secp256r1
        ClientHello hello = clientHello(List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256), List.of(NamedGroup.SECP256R1),
                List.of(new KeyShareEntry(NamedGroup.SECP256R1, offCurve)), List.of());
        server.receive(record(hello.encode()));
        assertAlertSent(server, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void serverX25519ShareOfSmallOrderIsIllegalParameter() {
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        ClientHello hello = ClientHello.decode(HandshakeFrame.parse(firstMessage(client.takeOutput())).body());
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, new byte[32], hello.sessionId(),
                CipherSuiteId.TLS_AES_128_GCM_SHA256, 0,
                List.of(new KeyShareServerHello(new KeyShareEntry(NamedGroup.X25519, new byte[32])).toExtension(),
                        new SupportedVersionsServer(ProtocolVersion.TLS1_3).toExtension()));
        client.receive(record(serverHello.encode()));
        assertAlertSent(client, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void wrongServerFinishedIsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().fault(Fault.TAMPER_FINISHED).build());
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        EnginePump.run(client, server);
        assertAlertSent(client, AlertDescription.DECRYPT_ERROR);
        assertThat(server.state().failure().alert()).isEqualTo(AlertDescription.DECRYPT_ERROR);
    }

    @Test
    void wrongClientFinishedIsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().build());
        EngineEndpoint client = new EngineEndpoint(clientConfig().fault(Fault.TAMPER_FINISHED).build());
        EnginePump.run(client, server);
        assertAlertSent(server, AlertDescription.DECRYPT_ERROR);
    }

    @Test
    void badServerCertificateVerifyIsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().fault(Fault.TAMPER_CERTIFICATE_VERIFY).build());
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        EnginePump.run(client, server);
        assertAlertSent(client, AlertDescription.DECRYPT_ERROR);
    }

    @Test
    void badClientCertificateVerifyIsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(serverConfig().clientAuth(ClientAuth.REQUIRED).build());
        EngineEndpoint client = new EngineEndpoint(clientConfig().identity(EngineEndpoint.identity(TestPki.clientEcdsa()))
                .fault(Fault.TAMPER_CERTIFICATE_VERIFY).build());
        EnginePump.run(client, server);
        assertAlertSent(server, AlertDescription.DECRYPT_ERROR);
    }

    @Test
    void tls13ClientRefusesATls12ServerHelloWithTheDowngradeSentinel() {
        // an attacker strips supported_versions: the TLS 1.3-capable server answers TLS 1.2, marking its random
        EngineEndpoint client = new EngineEndpoint(clientConfig().build());
        EngineEndpoint server = new EngineEndpoint(serverConfig().build());
        ClientHello hello = ClientHello.decode(HandshakeFrame.parse(firstMessage(client.takeOutput())).body());
        List<Extension> stripped = hello.extensions().stream()
                .filter(e -> !e.type().equals(ExtensionType.SUPPORTED_VERSIONS)).toList();
        ClientHello downgraded = new ClientHello(hello.legacyVersion(), hello.random(), hello.sessionId(),
                hello.cipherSuites(), hello.compressionMethods(), stripped);
        server.receive(record(downgraded.encode()));
        byte[] serverFlight = server.takeOutput();
        ServerHello serverHello = ServerHello.decode(HandshakeFrame.parse(firstMessage(serverFlight)).body());
        assertThat(Arrays.copyOfRange(serverHello.random(), 24, 32)).isEqualTo(ServerHello.downgradeSentinelTls12());

        client.receive(serverFlight);
        assertAlertSent(client, AlertDescription.ILLEGAL_PARAMETER);
    }

    @Test
    void tls13OnlyServerRefusesATls12ClientWithProtocolVersion() {
        EngineEndpoint server = new EngineEndpoint(serverConfig()
                .versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3).build());
        EngineEndpoint client = new EngineEndpoint(clientConfig()
                .versions(ProtocolVersion.TLS1_2, ProtocolVersion.TLS1_2).build());
        EnginePump.run(client, server);
        assertAlertSent(server, AlertDescription.PROTOCOL_VERSION);
    }

    private static void assertAlertSent(EngineEndpoint endpoint, AlertDescription alert) {
        assertThat(endpoint.state().isFailed()).isTrue();
        assertThat(endpoint.state().failure().alert()).isEqualTo(alert);
        assertThat(endpoint.state().failure().sentByUs()).isTrue();
    }

    private static KeyShareEntry share(NamedGroup group) {
        return new KeyShareEntry(group, KeyAgreementGroups.generate(EngineEndpoint.CRYPTO, group).publicKey());
    }

    private static ClientHello clientHello(List<CipherSuiteId> suites, List<NamedGroup> groups,
                                           List<KeyShareEntry> shares, List<Extension> more) {
        byte[] random = new byte[32];
        EngineEndpoint.CRYPTO.randomBytes(random);
        return clientHello(suites, groups, shares, more, random);
    }

    private static ClientHello clientHello(List<CipherSuiteId> suites, List<NamedGroup> groups,
                                           List<KeyShareEntry> shares, List<Extension> more, byte[] random) {
        List<Extension> extensions = new ArrayList<>(List.of(
                new SupportedVersionsClient(List.of(ProtocolVersion.TLS1_3)).toExtension(),
                new SupportedGroupsExtension(groups).toExtension(),
                new SignatureAlgorithmsExtension(Signatures.DEFAULT_PREFERENCE).toExtension(),
                new KeyShareClientHello(shares).toExtension()));
        extensions.addAll(more);
        return new ClientHello(ProtocolVersion.TLS1_2, random, Bytes.EMPTY, suites, new byte[] {0}, extensions);
    }
}
