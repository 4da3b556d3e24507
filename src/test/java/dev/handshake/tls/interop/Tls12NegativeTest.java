package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Fault;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.Finished;
import dev.handshake.tls.record.TlsRecord;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every failure the TLS 1.2 engine must detect ends in the specified fatal alert and a terminal state: never an
 * exception, a hang or a half-open connection. Faults are committed by our own engine ({@link Fault}) or by hand-built
 * bytes, and where a real peer can receive them, the real peer must reject them too.
 */
class Tls12NegativeTest {

    private static final CipherSuiteId RSA_GCM = CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256;
    private static final CipherSuiteId ECDHE_RSA_GCM = CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;

    private static TlsConfig.Builder server(CipherSuiteId... suites) {
        return TlsConfig.server().profile(Profile.COMPATIBLE).cipherSuites(List.of(suites))
                .identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder client(CipherSuiteId... suites) {
        return TlsConfig.client().profile(Profile.COMPATIBLE).cipherSuites(List.of(suites)).serverName("localhost")
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    /** Runs our client against our server until both are quiet. */
    private static void converse(EngineEndpoint client, EngineEndpoint server) {
        for (int i = 0; i < 20; i++) {
            byte[] toServer = client.takeOutput();
            server.receive(toServer);
            byte[] toClient = server.takeOutput();
            client.receive(toClient);
            if (toServer.length == 0 && toClient.length == 0) {
                return;
            }
        }
        throw new AssertionError("no quiet");
    }

    private static void assertFailedWith(EngineEndpoint endpoint, String alert, SeedStep step) {
        assertThat(endpoint.state().isFailed()).as("terminal failure").isTrue();
        assertThat(endpoint.state().isTerminal()).isTrue();
        assertThat(endpoint.state().failure().alert().name()).isEqualTo(alert);
        assertThat(endpoint.state().failure().sentByUs()).isTrue();
        assertThat(endpoint.events(HandshakeEvent.AlertSent.class)).filteredOn(a -> a.level().equals(AlertLevel.FATAL))
                .singleElement().satisfies(a -> {
                    assertThat(a.description().name()).isEqualTo(alert);
                    if (step != null) {
                        assertThat(a.step()).isEqualTo(step);
                    }
                });
    }

    private static byte[] record(ContentType type, byte[] fragment) {
        return new TlsRecord(type, ProtocolVersion.TLS1_2, fragment).encode();
    }

    private static byte[] clientHello(ProtocolVersion version, List<CipherSuiteId> suites, byte[] compression,
                                      List<Extension> extensions) {
        byte[] random = new byte[32];
        new Random(1).nextBytes(random);
        return record(ContentType.HANDSHAKE, new ClientHello(version, random, Bytes.EMPTY, suites, compression, extensions).encode());
    }

    @Test
    void tamperedClientFinishedGetsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).fault(Fault.TAMPER_FINISHED).build());
        converse(client, server);
        assertFailedWith(server, "decrypt_error", SeedStep.CLIENT_FINISHED);
        assertThat(client.state().failure().alert().name()).isEqualTo("decrypt_error");
        assertThat(client.state().failure().sentByUs()).isFalse();
    }

    @Test
    void tamperedServerFinishedGetsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).fault(Fault.TAMPER_FINISHED).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertFailedWith(client, "decrypt_error", SeedStep.SERVER_FINISHED);
        assertThat(client.state().session()).as("no session from an unverified Finished").isNull();
    }

    @Test
    void realPeerRejectsOurTamperedFinished() {
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).fault(Fault.TAMPER_FINISHED).build());
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2").identity(TestPki.serverRsa()).build();
        Pump.run(client, server);
        assertThat(server.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(client.state().failure().alert().name()).isEqualTo("decrypt_error");
    }

    @Test
    void tamperedCertificateVerifyGetsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).clientAuth(ClientAuth.REQUIRED).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).identity(EngineEndpoint.identity(TestPki.clientRsa()))
                .fault(Fault.TAMPER_CERTIFICATE_VERIFY).build());
        converse(client, server);
        assertFailedWith(server, "decrypt_error", SeedStep.CLIENT_AUTHENTICATION_SIGNED);
    }

    /** SunJSSE answers a bad signature with handshake_failure; what matters is that it refuses. */
    @Test
    void realPeerRejectsOurTamperedCertificateVerify() {
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).identity(EngineEndpoint.identity(TestPki.clientRsa()))
                .fault(Fault.TAMPER_CERTIFICATE_VERIFY).build());
        JdkTlsPeer server = JdkTlsPeer.server().protocols("TLSv1.2").identity(TestPki.serverRsa()).trustTestRoot()
                .needClientAuth().build();
        Pump.run(client, server);
        assertThat(server.failure()).isNotNull();
        assertThat(client.state().isFailed()).isTrue();
        assertThat(client.state().failure().sentByUs()).isFalse();
    }

    @Test
    void tamperedServerKeyExchangeSignatureGetsDecryptError() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).fault(Fault.TAMPER_SERVER_KEY_EXCHANGE).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertFailedWith(client, "decrypt_error", SeedStep.SERVER_HELLO);
    }

    @Test
    void realPeerRejectsOurTamperedServerKeyExchange() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).fault(Fault.TAMPER_SERVER_KEY_EXCHANGE).build());
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().build();
        Pump.run(server, client);
        assertThat(client.failure()).isNotNull();
        assertThat(server.state().isFailed()).isTrue();
        assertThat(server.state().failure().sentByUs()).isFalse();
    }

    @Test
    void badPreMasterSecretIsIndistinguishableUntilFinished() {
        // RFC 5246 §7.4.7.1: no alert at ClientKeyExchange; the random pre-master makes the client's Finished fail
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        EngineEndpoint client = new EngineEndpoint(client(RSA_GCM).fault(Fault.TAMPER_PRE_MASTER_SECRET).build());
        converse(client, server);
        assertThat(server.events(HandshakeEvent.AlertSent.class)).singleElement().satisfies(alert -> {
            assertThat(alert.step()).isEqualTo(SeedStep.CLIENT_FINISHED);
            // the Finished record is protected with keys the server does not share: it fails to open
            assertThat(alert.description().name()).isEqualTo("bad_record_mac");
        });
    }

    @Test
    void corruptedApplicationRecordGetsBadRecordMac() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        client.send("hello".getBytes());
        byte[] record = client.takeOutput();
        record[record.length - 3] ^= 0x40;
        server.receive(record);
        assertFailedWith(server, "bad_record_mac", SeedStep.APPLICATION_DATA);
    }

    @Test
    void expiredServerCertificateEndsStepThree() {
        EngineEndpoint server = new EngineEndpoint(TlsConfig.server().profile(Profile.COMPATIBLE)
                .identity(EngineEndpoint.identity(TestPki.expiredServer())).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertFailedWith(client, "certificate_expired", SeedStep.SERVER_AUTHENTICATION);
        assertThat(client.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.problem()).isEqualTo("EXPIRED"));
    }

    @Test
    void untrustedServerCertificateEndsStepThree() {
        EngineEndpoint server = new EngineEndpoint(TlsConfig.server().profile(Profile.COMPATIBLE)
                .identity(EngineEndpoint.identity(TestPki.untrustedServer())).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertFailedWith(client, "unknown_ca", SeedStep.SERVER_AUTHENTICATION);
    }

    @Test
    void serverNameMismatchEndsStepThree() {
        EngineEndpoint server = new EngineEndpoint(TlsConfig.server().profile(Profile.COMPATIBLE)
                .identity(EngineEndpoint.identity(TestPki.wrongNameServer())).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertThat(client.state().isFailed()).isTrue();
        assertThat(client.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.problem()).isEqualTo("NAME_MISMATCH"));
        assertThat(client.state().failure().step()).isEqualTo(SeedStep.SERVER_AUTHENTICATION);
    }

    @Test
    void requiredClientCertificateMissingGetsHandshakeFailure() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).clientAuth(ClientAuth.REQUIRED).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertFailedWith(server, "handshake_failure", SeedStep.CLIENT_AUTHENTICATION_SIGNED);
    }

    @Test
    void optionalClientCertificateMayBeMissing() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).clientAuth(ClientAuth.OPTIONAL).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).build());
        converse(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(server.state().session().peerCertificates()).isEmpty();
    }

    @Test
    void untrustedClientCertificateIsRejectedAtStepSix() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).clientAuth(ClientAuth.OPTIONAL).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM)
                .identity(EngineEndpoint.identity(TestPki.untrustedServer())).build());
        converse(client, server);
        assertThat(server.state().failure().alert().name()).isEqualTo("unknown_ca");
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.step()).isEqualTo(SeedStep.MASTER_SECRET));
    }

    @Test
    void clientHelloBelowTls12GetsProtocolVersion() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(clientHello(ProtocolVersion.TLS1_1, List.of(RSA_GCM), new byte[] {0}, List.of()));
        assertFailedWith(server, "protocol_version", SeedStep.CLIENT_HELLO);
    }

    @Test
    void noCommonSuiteGetsHandshakeFailure() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(clientHello(ProtocolVersion.TLS1_2, List.of(CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA), new byte[] {0}, List.of()));
        assertFailedWith(server, "handshake_failure", SeedStep.CLIENT_HELLO);
    }

    @Test
    void legacySuitesAreNeverAcceptedOutsideTheLegacyProfile() {
        EngineEndpoint server = new EngineEndpoint(TlsConfig.server().profile(Profile.COMPATIBLE)
                .identity(EngineEndpoint.identity(TestPki.serverRsa())).build());
        server.receive(clientHello(ProtocolVersion.TLS1_2, List.of(CipherSuiteId.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
                CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA), new byte[] {0}, List.of()));
        assertFailedWith(server, "handshake_failure", SeedStep.CLIENT_HELLO);
    }

    @Test
    void emptyCipherSuiteListGetsDecodeError() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        // hand-built: version, random, empty session id, cipher_suites of length 0, compression [0]
        byte[] body = Bytes.concat(new byte[] {3, 3}, new byte[32], new byte[] {0, 0, 0, 1, 0});
        byte[] message = Bytes.concat(new byte[] {1, 0, 0, (byte) body.length}, body);
        server.receive(record(ContentType.HANDSHAKE, message));
        assertFailedWith(server, "decode_error", SeedStep.CLIENT_HELLO);
    }

    @Test
    void nullCompressionMissingGetsIllegalParameter() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(clientHello(ProtocolVersion.TLS1_2, List.of(RSA_GCM), new byte[] {1}, List.of()));
        assertFailedWith(server, "illegal_parameter", SeedStep.CLIENT_HELLO);
    }

    @Test
    void finishedBeforeClientHelloGetsUnexpectedMessage() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(record(ContentType.HANDSHAKE, new Finished(new byte[12]).encode()));
        assertFailedWith(server, "unexpected_message", SeedStep.CLIENT_HELLO);
    }

    @Test
    void changeCipherSpecBeforeKeyExchangeGetsUnexpectedMessage() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        EngineEndpoint client = new EngineEndpoint(client(RSA_GCM).build());
        server.receive(client.takeOutput());
        server.receive(record(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1}));
        assertFailedWith(server, "unexpected_message", SeedStep.PRE_MASTER_SECRET);
    }

    @Test
    void applicationDataBeforeHandshakeGetsUnexpectedMessage() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(record(ContentType.APPLICATION_DATA, "GET /".getBytes()));
        assertFailedWith(server, "unexpected_message", SeedStep.CLIENT_HELLO);
    }

    @Test
    void oversizedRecordGetsRecordOverflow() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        int length = (1 << 14) + 2049;
        server.receive(new byte[] {22, 3, 3, (byte) (length >>> 8), (byte) length});
        assertFailedWith(server, "record_overflow", SeedStep.CLIENT_HELLO);
    }

    @Test
    void truncatedClientHelloWaitsThenFailsOnGarbage() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        byte[] hello = clientHello(ProtocolVersion.TLS1_2, List.of(RSA_GCM), new byte[] {0}, List.of());
        // record header (5) + handshake header (4) + version (2) + random (32): the next byte is session_id's length
        int sessionIdLength = 5 + 4 + 2 + 32;
        server.receive(java.util.Arrays.copyOf(hello, sessionIdLength));
        assertThat(server.state().isFailed()).as("a partial record is kept, not an error").isFalse();
        server.receive(new byte[] {(byte) 0xff});
        server.receive(java.util.Arrays.copyOfRange(hello, sessionIdLength + 1, hello.length));
        assertFailedWith(server, "decode_error", SeedStep.CLIENT_HELLO);
    }

    @Test
    void helloRequestSentToAServerGetsUnexpectedMessage() {
        EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
        server.receive(record(ContentType.HANDSHAKE, new byte[] {0, 0, 0, 0}));
        assertFailedWith(server, "unexpected_message", SeedStep.CLIENT_HELLO);
    }

    @Test
    void garbageNeverEscapesAsAnException() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            EngineEndpoint server = new EngineEndpoint(server(RSA_GCM).build());
            byte[] garbage = new byte[3 + random.nextInt(300)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                garbage[0] = 22;
                garbage[1] = 3;
                garbage[2] = 3;
            }
            server.receive(garbage);
            // either waiting for more bytes or failed with an alert; never an exception
            if (server.state().isFailed()) {
                assertThat(server.events(HandshakeEvent.AlertSent.class)).hasSize(1);
            }
        }
    }

    @Test
    void insecurePeerIsNeverRenegotiatedWith() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).fault(Fault.OMIT_RENEGOTIATION_INFO).build());
        converse(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(server.state().session().secureRenegotiation()).isFalse();
        assertThatThrownBy(server::renegotiate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secure renegotiation");
        assertThatThrownBy(client::renegotiate).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void renegotiationBeyondTheLimitIsRefusedWithAWarning() {
        EngineEndpoint server = new EngineEndpoint(server(ECDHE_RSA_GCM).maxRenegotiations(1).build());
        EngineEndpoint client = new EngineEndpoint(client(ECDHE_RSA_GCM).maxRenegotiations(5).build());
        converse(client, server);
        client.renegotiate();
        converse(client, server);
        assertThat(server.state().renegotiations()).isEqualTo(1);
        client.renegotiate();
        converse(client, server);
        assertThat(server.events(HandshakeEvent.RenegotiationRefused.class)).hasSize(1);
        assertThat(client.events(HandshakeEvent.AlertReceived.class)).extracting(a -> a.description().name())
                .contains("no_renegotiation");
        assertThat(server.state().isEstablished()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"TAMPER_FINISHED"})
    void faultsAreOffUnlessConfigured(Fault fault) {
        assertThat(client(RSA_GCM).build().injects(fault)).isFalse();
    }
}
