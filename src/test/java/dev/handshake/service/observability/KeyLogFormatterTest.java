package dev.handshake.service.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSLKEYLOGFILE lines (rfc9850.txt) against RFC 8448 §3's secrets, and against what our engine really emits. */
class KeyLogFormatterTest {

    private static final HexFormat HEX = HexFormat.of();

    // RFC 8448 §3 "Simple 1-RTT Handshake": the ClientHello's random and the derived secrets, pasted from the trace
    static final String CLIENT_RANDOM = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7";
    static final String C_HS_TRAFFIC = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
    static final String S_HS_TRAFFIC = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
    static final String C_AP_TRAFFIC = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
    static final String S_AP_TRAFFIC = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
    static final String EXP_MASTER = "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";

    @Test
    void tls13LinesCarryRfc8448SecretsUnderRfc9850Labels() {
        // the ClientHello as RFC 8448 shows it: 01 00 00 c0 (handshake header) 03 03 (legacy_version) random ...
        byte[] clientHello = HEX.parseHex("010000c00303" + CLIENT_RANDOM + "000006130113031302");
        List<HandshakeEvent> events = List.of(
                new HandshakeEvent.MessageReceived(SeedStep.CLIENT_HELLO,
                        HandshakeType.CLIENT_HELLO.name(), Map.of(), clientHello),
                secret("server_ephemeral_private_key", "00".repeat(32)), // not a key-log secret: skipped
                secret("client_handshake_traffic_secret", C_HS_TRAFFIC),
                secret("server_handshake_traffic_secret", S_HS_TRAFFIC),
                secret("master_secret", "11".repeat(32)),
                secret("client_application_traffic_secret_0", C_AP_TRAFFIC),
                secret("server_application_traffic_secret_0", S_AP_TRAFFIC),
                secret("exporter_master_secret", EXP_MASTER));

        byte[] random = KeyLogFormatter.clientRandom(events);
        assertThat(HEX.formatHex(random)).isEqualTo(CLIENT_RANDOM);
        assertThat(KeyLogFormatter.tls13(random, events)).containsExactly(
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + CLIENT_RANDOM + " " + C_HS_TRAFFIC,
                "SERVER_HANDSHAKE_TRAFFIC_SECRET " + CLIENT_RANDOM + " " + S_HS_TRAFFIC,
                "CLIENT_TRAFFIC_SECRET_0 " + CLIENT_RANDOM + " " + C_AP_TRAFFIC,
                "SERVER_TRAFFIC_SECRET_0 " + CLIENT_RANDOM + " " + S_AP_TRAFFIC,
                "EXPORTER_SECRET " + CLIENT_RANDOM + " " + EXP_MASTER);
    }

    @Test
    void tls12LineIsClientRandomWithTheMasterSecret() {
        byte[] master = new byte[48];
        master[47] = 1;
        assertThat(KeyLogFormatter.tls12(HEX.parseHex(CLIENT_RANDOM), master))
                .isEqualTo("CLIENT_RANDOM " + CLIENT_RANDOM + " " + "00".repeat(47) + "01");
    }

    @Test
    void rejectsAClientRandomThatIsNot32Bytes() {
        assertThatThrownBy(() -> KeyLogFormatter.tls12(new byte[31], new byte[48]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Our engine, both roles, secrets revealed: the client's and the server's key log lines must be the same lines
     * (same random, same secrets), with every label RFC 9850 asks for. A renamed SecretDerived would fail here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void clientAndServerEnginesProduceTheSameKeyLog(String version) {
        ProtocolVersion v = version.equals("TLSv1.3") ? ProtocolVersion.TLS1_3 : ProtocolVersion.TLS1_2;
        CryptoProvider crypto = CryptoProviders.preferred();
        TestPki.Identity pki = TestPki.serverEcdsa();
        TlsEngine server = new TlsEngine(TlsConfig.server().versions(v, v)
                .identity(new Identity(pki.key(), pki.chain())).revealSecrets(true).build(), crypto);
        TlsEngine client = new TlsEngine(TlsConfig.client().versions(v, v)
                .trustAnchors(List.of(TestPki.rootCa().leaf())).serverName(TestPki.HOST).revealSecrets(true).build(),
                crypto);
        List<HandshakeEvent> clientEvents = new ArrayList<>();
        List<HandshakeEvent> serverEvents = new ArrayList<>();
        Step c = client.start();
        Step s = server.start();
        clientEvents.addAll(c.events());
        byte[] toServer = c.outbound();
        ConnectionState cs = c.state();
        ConnectionState ss = s.state();
        for (int round = 0; round < 6 && !(cs.isEstablished() && ss.isEstablished()); round++) {
            s = server.advance(ss, toServer);
            ss = s.state();
            serverEvents.addAll(s.events());
            c = client.advance(cs, s.outbound());
            cs = c.state();
            clientEvents.addAll(c.events());
            toServer = c.outbound();
        }
        assertThat(cs.isEstablished()).isTrue();
        assertThat(ss.isEstablished()).isTrue();

        List<String> fromClient;
        List<String> fromServer;
        if (v.equals(ProtocolVersion.TLS1_3)) {
            fromClient = KeyLogFormatter.tls13(KeyLogFormatter.clientRandom(clientEvents), clientEvents);
            fromServer = KeyLogFormatter.tls13(KeyLogFormatter.clientRandom(serverEvents), serverEvents);
            assertThat(fromServer).extracting(line -> line.substring(0, line.indexOf(' '))).containsExactly(
                    "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                    "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET");
        } else {
            fromClient = List.of(KeyLogFormatter.tls12(cs.session().clientRandom(), cs.session().masterSecret().bytes()));
            fromServer = List.of(KeyLogFormatter.tls12(ss.session().clientRandom(), ss.session().masterSecret().bytes()));
        }
        assertThat(fromServer).isEqualTo(fromClient);
        assertThat(fromServer).allSatisfy(line -> assertThat(line).matches("[A-Z_0]+ [0-9a-f]{64} [0-9a-f]{64,96}"));
    }

    private static HandshakeEvent secret(String name, String hex) {
        return new HandshakeEvent.SecretDerived(SeedStep.SESSION_KEYS, name, new Secret(HEX.parseHex(hex)));
    }
}
