package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.interop.EngineEndpoint;
import dev.handshake.tls.interop.Pump;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * X25519MLKEM768 (RFC 10024 §3, codepoint 0x11EC): the sizes and order of both shares and of the shared secret, each
 * part checked against the primitive computed on its own; replay with fixed randomness; a full handshake between our
 * engines; and interop with Bouncy Castle JSSE 1.84, which implements the group, in both roles. (With only the hybrid
 * group enabled, BC JSSE has no curve for ECDSA signature schemes, so these use the RSA certificate.)
 */
class X25519MlKem768Test {

    private static final CryptoProvider CRYPTO = CryptoProviders.preferred();
    private static final byte[] REQUEST = "hybrid hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codepointIsThatOfRfc10024() {
        assertThat(NamedGroup.X25519MLKEM768.code()).isEqualTo(0x11EC).isEqualTo(4588);
        assertThat(KeyAgreementGroups.supports(NamedGroup.X25519MLKEM768)).isTrue();
        assertThat(KeyAgreementGroups.SUPPORTED).as("never a TLS 1.2 ECDHE group").doesNotContain(NamedGroup.X25519MLKEM768);
    }

    @Test
    void sharesAndSecretHaveTheRfcSizesAndOrder() {
        KeyShare client = KeyAgreementGroups.generate(CRYPTO, NamedGroup.X25519MLKEM768);
        // client share = ML-KEM-768 encapsulation key (1184) || X25519 public key (32)
        assertThat(client.publicKey()).hasSize(1184 + 32);
        KeyAgreementGroups.Response server = KeyAgreementGroups.respond(CRYPTO, NamedGroup.X25519MLKEM768,
                client.publicKey());
        // server share = ML-KEM-768 ciphertext (1088) || X25519 public key (32)
        assertThat(server.publicKey()).hasSize(1088 + 32);
        Secret clientSecret = KeyAgreementGroups.agree(CRYPTO, NamedGroup.X25519MLKEM768, client.privateKey(),
                server.publicKey());
        assertThat(clientSecret).isEqualTo(server.sharedSecret());
        assertThat(clientSecret.length()).isEqualTo(64);

        // shared secret = ML-KEM shared secret (32) || X25519 shared secret (32), each part recomputed on its own
        TlsReader r = TlsReader.of(client.privateKey().bytes());
        Secret seed = new Secret(r.vector16(1, "seed"));
        Secret x25519Private = new Secret(r.vector16(1, "x25519"));
        Secret mlkem = MlKem768.decapsulate(seed, Arrays.copyOf(server.publicKey(), 1088));
        Secret x25519 = KeyAgreementGroups.agree(CRYPTO, NamedGroup.X25519, x25519Private,
                Arrays.copyOfRange(server.publicKey(), 1088, 1120));
        assertThat(Arrays.copyOf(clientSecret.bytes(), 32)).isEqualTo(mlkem.bytes());
        assertThat(Arrays.copyOfRange(clientSecret.bytes(), 32, 64)).isEqualTo(x25519.bytes());
        // and the x25519 part of the client share is the public key of that x25519 private key
        KeyShare alone = new KeyShare(NamedGroup.X25519, x25519Private, Arrays.copyOfRange(client.publicKey(), 1184, 1216));
        assertThat(KeyAgreementGroups.agree(CRYPTO, NamedGroup.X25519, server.privateKey(), alone.publicKey()))
                .isEqualTo(x25519);
    }

    @Test
    void fixedRandomnessReplaysTheSameShares() {
        byte[] script = new byte[4096];
        Arrays.fill(script, (byte) 7);
        JcaCryptoProvider base = CryptoProviders.preferred();
        byte[] first = KeyAgreementGroups.generate(base.with(() -> scripted(script), Clock.systemUTC()),
                NamedGroup.X25519MLKEM768).publicKey();
        byte[] second = KeyAgreementGroups.generate(base.with(() -> scripted(script), Clock.systemUTC()),
                NamedGroup.X25519MLKEM768).publicKey();
        assertThat(first).isEqualTo(second);
        assertThat(KeyAgreementGroups.generate(CRYPTO, NamedGroup.X25519MLKEM768).publicKey()).isNotEqualTo(first);
    }

    private static SecureRandom scripted(byte[] script) {
        return new SecureRandom() {
            private int at;

            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(script, at, out, 0, out.length);
                at += out.length;
            }
        };
    }

    @Test
    void badSharesAreIllegalParameter() {
        assertThatThrownBy(() -> KeyAgreementGroups.respond(CRYPTO, NamedGroup.X25519MLKEM768, new byte[1215]))
                .isInstanceOfSatisfying(TlsAlertException.class,
                        e -> assertThat(e.alert()).isEqualTo(AlertDescription.ILLEGAL_PARAMETER));
        // an encapsulation key whose coefficients are not reduced mod q fails FIPS 203's input check
        byte[] unreduced = new byte[1216];
        Arrays.fill(unreduced, 0, 1152, (byte) 0xff);
        assertThatThrownBy(() -> KeyAgreementGroups.respond(CRYPTO, NamedGroup.X25519MLKEM768, unreduced))
                .isInstanceOfSatisfying(TlsAlertException.class,
                        e -> assertThat(e.alert()).isEqualTo(AlertDescription.ILLEGAL_PARAMETER));
        KeyShare client = KeyAgreementGroups.generate(CRYPTO, NamedGroup.X25519MLKEM768);
        assertThatThrownBy(() -> KeyAgreementGroups.agree(CRYPTO, NamedGroup.X25519MLKEM768, client.privateKey(),
                new byte[1119])).isInstanceOf(TlsAlertException.class);
    }

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .groups(List.of(NamedGroup.X25519MLKEM768, NamedGroup.X25519));
    }

    private static TlsConfig.Builder client() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3)
                .groups(List.of(NamedGroup.X25519MLKEM768, NamedGroup.X25519));
    }

    @Test
    void ourEnginesHandshakeWithTheHybridGroup() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().build());
        for (int i = 0; i < 10; i++) {
            server.receive(client.takeOutput());
            client.receive(server.takeOutput());
        }
        assertThat(client.state().isEstablished()).isTrue();
        assertThat(server.state().session().group()).isEqualTo(NamedGroup.X25519MLKEM768);
        assertThat(client.state().session().group()).isEqualTo(NamedGroup.X25519MLKEM768);
    }

    @Test
    void bouncyCastleJsseClientUsesTheHybridGroupWithOurServer() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        JdkTlsPeer client = JdkTlsPeer.client().bouncyCastle().protocols("TLSv1.3").trustTestRoot()
                .serverName("localhost").namedGroups("X25519MLKEM768").build();
        client.send(REQUEST);
        Pump.run(server, client);
        assertThat(server.state().isEstablished()).as("%s / %s", server.state().failure(), client.failure()).isTrue();
        assertThat(server.state().session().group()).isEqualTo(NamedGroup.X25519MLKEM768);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
        server.send(REQUEST);
        Pump.run(server, client);
        assertThat(client.receivedAppData()).isEqualTo(REQUEST);
    }

    @Test
    void ourClientUsesTheHybridGroupWithBouncyCastleJsseServer() {
        EngineEndpoint client = new EngineEndpoint(client().build());
        JdkTlsPeer server = JdkTlsPeer.server().bouncyCastle().protocols("TLSv1.3").identity(TestPki.serverRsa())
                .namedGroups("X25519MLKEM768").build();
        Pump.run(client, server);
        assertThat(client.state().isEstablished()).as("%s / %s", client.state().failure(), server.failure()).isTrue();
        assertThat(client.state().session().group()).isEqualTo(NamedGroup.X25519MLKEM768);
        assertThat(client.events(HandshakeEvent.MessageSent.class).stream()
                .filter(e -> e.type().equals("client_hello"))).as("no HelloRetryRequest was needed").hasSize(1);
        client.send(REQUEST);
        Pump.run(client, server);
        assertThat(server.receivedAppData()).isEqualTo(REQUEST);
    }
}
