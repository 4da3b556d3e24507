package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Fault;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.CertificateRequest13;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.record.RecordProtection;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import dev.handshake.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2) between our own server and client, seed step 11:
 * the server asks on an established connection, the client answers with Certificate, CertificateVerify and Finished
 * over the handshake transcript plus the exchange, and the server's session then names the new chain. Application
 * data and KeyUpdate keep flowing while the request is outstanding; every state round-trips through its serialized
 * form ({@link EngineEndpoint}). Refusals: a server whose client did not offer post_handshake_auth cannot ask (a
 * caller error, nothing sent); a client that did not offer it answers an unsolicited request with unexpected_message;
 * a bad signature is decrypt_error and a declined required request certificate_required. Interop with OpenSSL is in
 * {@link Tls13OpenSslInteropTest}.
 */
class Tls13PostHandshakeAuthTest {

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder client() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3);
    }

    private static TlsConfig.Builder clientWithPha() {
        return client().postHandshakeAuth(true).identity(EngineEndpoint.identity(TestPki.clientEcdsa()));
    }

    private static EngineEndpoint[] established(TlsConfig serverConfig, TlsConfig clientConfig) {
        EngineEndpoint server = new EngineEndpoint(serverConfig);
        EngineEndpoint client = new EngineEndpoint(clientConfig);
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).as("%s", server.state().failure()).isTrue();
        return new EngineEndpoint[] {server, client};
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static AlertDescription alertSent(EngineEndpoint endpoint) {
        return endpoint.events(HandshakeEvent.AlertSent.class).get(0).description();
    }

    @Test
    void serverAuthenticatesTheClientAfterTheHandshakeWhileDataFlows() {
        EngineEndpoint[] pair = established(server().build(), clientWithPha().build());
        EngineEndpoint server = pair[0];
        EngineEndpoint client = pair[1];
        assertThat(server.state().session().peerCertificates()).isEmpty();

        server.requestClientCertificate(ClientAuth.REQUIRED);
        byte[] request = server.takeOutput();
        // before the request arrives the client sends data and a KeyUpdate; the server sends data too
        client.send(ascii("in flight before the request"));
        client.renegotiate();
        server.receive(client.takeOutput());
        server.send(ascii("sent while the request is outstanding"));
        client.receive(request);
        client.receive(server.takeOutput());
        server.receive(client.takeOutput());
        EnginePump.run(client, server);

        assertThat(server.receivedData()).asString().isEqualTo("in flight before the request");
        assertThat(client.receivedData()).asString().isEqualTo("sent while the request is outstanding");
        assertThat(server.state().isEstablished()).as("%s", server.state().failure()).isTrue();
        assertThat(server.state().session().peerCertificates()).hasSize(TestPki.clientEcdsa().chain().size());
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class))
                .singleElement().satisfies(check -> {
                    assertThat(check.trusted()).isTrue();
                    assertThat(check.step()).isEqualTo(SeedStep.RENEGOTIATION);
                });
        assertThat(server.events(HandshakeEvent.ValueComputed.class)).filteredOn(e -> e.step() == SeedStep.RENEGOTIATION)
                .anyMatch(e -> e.value().contains("post-handshake authentication finished"));
        assertThat(client.events(HandshakeEvent.MessageSent.class)).filteredOn(e -> e.step() == SeedStep.RENEGOTIATION)
                .extracting(HandshakeEvent.MessageSent::type)
                .containsExactly("key_update", "certificate", "certificate_verify", "finished");

        // the connection goes on, and a second request works the same way
        client.send(ascii("after"));
        server.send(ascii("after too"));
        EnginePump.run(client, server);
        assertThat(server.receivedData()).asString().endsWith("after");
        assertThat(client.receivedData()).asString().endsWith("after too");
        server.requestClientCertificate(ClientAuth.OPTIONAL);
        EnginePump.run(server, client);
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).hasSize(2);
        assertThat(server.state().isEstablished()).isTrue();
    }

    @Test
    void clientWithoutACertificateMayDeclineAnOptionalRequest() {
        EngineEndpoint[] pair = established(server().build(), client().postHandshakeAuth(true).build());
        pair[0].requestClientCertificate(ClientAuth.OPTIONAL);
        EnginePump.run(pair[0], pair[1]);
        assertThat(pair[0].state().isEstablished()).isTrue();
        assertThat(pair[0].state().session().peerCertificates()).isEmpty();
        assertThat(pair[1].events(HandshakeEvent.MessageSent.class)).filteredOn(e -> e.step() == SeedStep.RENEGOTIATION)
                .extracting(HandshakeEvent.MessageSent::type).containsExactly("certificate", "finished");
    }

    @Test
    void emptyCertificateForARequiredRequestIsCertificateRequired() {
        EngineEndpoint[] pair = established(server().build(), client().postHandshakeAuth(true).build());
        pair[0].requestClientCertificate(ClientAuth.REQUIRED);
        EnginePump.run(pair[0], pair[1]);
        assertThat(alertSent(pair[0])).isEqualTo(AlertDescription.CERTIFICATE_REQUIRED);
        assertThat(pair[0].state().failure().step()).isEqualTo(SeedStep.RENEGOTIATION);
    }

    @Test
    void badCertificateVerifyAfterTheHandshakeIsDecryptError() {
        EngineEndpoint[] pair = established(server().build(),
                clientWithPha().fault(Fault.TAMPER_CERTIFICATE_VERIFY).build());
        pair[0].requestClientCertificate(ClientAuth.REQUIRED);
        EnginePump.run(pair[0], pair[1]);
        assertThat(alertSent(pair[0])).isEqualTo(AlertDescription.DECRYPT_ERROR);
        assertThat(pair[0].state().session().peerCertificates()).isEmpty();
    }

    @Test
    void untrustedClientChainAfterTheHandshakeIsRefused() {
        EngineEndpoint[] pair = established(server().trustAnchors(List.of(TestPki.untrustedCa().leaf())).build(),
                clientWithPha().build());
        pair[0].requestClientCertificate(ClientAuth.REQUIRED);
        EnginePump.run(pair[0], pair[1]);
        assertThat(alertSent(pair[0])).isEqualTo(AlertDescription.UNKNOWN_CA);
    }

    @Test
    void serverCannotAskAClientThatDidNotOfferPostHandshakeAuth() {
        EngineEndpoint[] pair = established(server().build(), client().identity(
                EngineEndpoint.identity(TestPki.clientEcdsa())).build());
        byte[] before = pair[0].state().toBytes();
        assertThatThrownBy(() -> pair[0].requestClientCertificate(ClientAuth.REQUIRED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("post_handshake_auth");
        assertThat(pair[0].state().toBytes()).isEqualTo(before);
        assertThat(pair[0].takeOutput()).isEmpty();
    }

    @Test
    void secondRequestWhileOneIsOutstandingIsRefused() {
        EngineEndpoint[] pair = established(server().build(), clientWithPha().build());
        pair[0].requestClientCertificate(ClientAuth.REQUIRED);
        assertThatThrownBy(() -> pair[0].requestClientCertificate(ClientAuth.REQUIRED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outstanding");
        EnginePump.run(pair[0], pair[1]);
        assertThat(pair[0].state().session().peerCertificates()).isNotEmpty();
    }

    @Test
    void clientRequestsAreRefusedToo() {
        EngineEndpoint[] pair = established(server().build(), clientWithPha().build());
        assertThatThrownBy(() -> pair[1].requestClientCertificate(ClientAuth.REQUIRED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unsolicitedCertificateRequestIsUnexpectedMessage() {
        EngineEndpoint[] pair = established(server().build(), client().build());
        // our server refuses to send one, so the request is sealed here under the server's application write key
        ConnectionState server = pair[0].state();
        CertificateRequest13 request = new CertificateRequest13(Bytes.fromHex("0102"),
                List.of(new SignatureAlgorithmsExtension(List.of(SignatureScheme.ECDSA_SECP256R1_SHA256)).toExtension()));
        byte[] record = RecordProtection.seal(EngineEndpoint.CRYPTO, server.writeProtection(), ContentType.HANDSHAKE,
                request.encode()).record();
        pair[1].receive(record);
        assertThat(alertSent(pair[1])).isEqualTo(AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void clientOffersPostHandshakeAuthOnlyWhenConfigured() {
        EngineEndpoint[] with = established(server().build(), clientWithPha().build());
        EngineEndpoint[] without = established(server().build(), client().build());
        assertThat(with[1].events(HandshakeEvent.MessageSent.class).get(0).fields().toString())
                .contains("post_handshake_auth");
        assertThat(without[1].events(HandshakeEvent.MessageSent.class).get(0).fields().toString())
                .doesNotContain("post_handshake_auth");
    }
}
