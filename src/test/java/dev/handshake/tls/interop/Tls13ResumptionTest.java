package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.Fault;
import dev.handshake.tls.ResumptionTicket;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS 1.3 resumption (RFC 8446 §2.2, §4.2.11, §4.6.1): our server issues a NewSessionTicket sealed with its
 * {@link TicketKeys} and resumes with psk_dhe_ke after checking the binder, lifetime and age; our client keeps the
 * ticket in its session and offers it. Against our own engine, the JDK's SSLEngine and Bouncy Castle JSSE, both roles,
 * and the cases that must end in a full handshake (expired, unknown key, tampered) or in decrypt_error (bad binder).
 */
class Tls13ResumptionTest {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final TicketKeys KEYS = TicketKeys.generate(new SecureRandom());

    @BeforeAll
    static void relax() {
        JdkTlsPeer.allowLegacyAlgorithms();
    }

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverEcdsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf())).ticketKeys(KEYS);
    }

    private static TlsConfig.Builder client() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(dev.handshake.tls.wire.ProtocolVersion.TLS1_3, dev.handshake.tls.wire.ProtocolVersion.TLS1_3);
    }

    private static CryptoProvider at(Instant instant) {
        SecureRandom random = new SecureRandom();
        return CryptoProviders.preferred().with(() -> random, Clock.fixed(instant, ZoneOffset.UTC));
    }

    /** A full handshake between our client and server; returns the ticket the client kept. */
    private static ResumptionTicket firstConnection(TlsConfig serverConfig, CryptoProvider serverCrypto,
                                                    CryptoProvider clientCrypto) {
        EngineEndpoint server = new EngineEndpoint(serverConfig, serverCrypto);
        EngineEndpoint client = new EngineEndpoint(client().build(), clientCrypto);
        EnginePump.run(client, server);
        assertThat(client.state().isEstablished()).isTrue();
        assertThat(completed(client).resumed()).isFalse();
        ResumptionTicket ticket = client.state().session().latestTicket();
        assertThat(ticket).as("the client keeps the server's ticket").isNotNull();
        return ticket;
    }

    private static HandshakeEvent.HandshakeCompleted completed(EngineEndpoint endpoint) {
        List<HandshakeEvent.HandshakeCompleted> done = endpoint.events(HandshakeEvent.HandshakeCompleted.class);
        assertThat(done).hasSize(1);
        return done.get(0);
    }

    private static boolean sentCertificate(EngineEndpoint server) {
        return server.events(HandshakeEvent.MessageSent.class).stream().anyMatch(e -> e.type().equals("certificate"));
    }

    @Test
    void ourClientResumesWithOurServerWithoutCertificatesAndCarriesData() {
        CryptoProvider crypto = EngineEndpoint.CRYPTO;
        ResumptionTicket ticket = firstConnection(server().build(), crypto, crypto);
        assertThat(ticket.toString()).doesNotContain(dev.handshake.tls.codec.Bytes.hex(ticket.secret().bytes()));

        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(completed(server).resumed()).isTrue();
        assertThat(completed(client).resumed()).isTrue();
        assertThat(server.state().session().resumed()).isTrue();
        assertThat(client.state().session().peerCertificates()).as("the chain of the first connection")
                .hasSize(TestPki.serverEcdsa().chain().size());
        assertThat(sentCertificate(server)).isFalse();
        assertThat(client.state().session().latestTicket()).as("a resumed session gets a new ticket").isNotNull();

        client.send(REQUEST);
        server.send(RESPONSE);
        EnginePump.run(client, server);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
        assertThat(client.receivedData()).isEqualTo(RESPONSE);

        // and the new ticket resumes again
        EngineEndpoint server3 = new EngineEndpoint(server().build());
        EngineEndpoint client3 = new EngineEndpoint(client().resumption(client.state().session().latestTicket()).build());
        EnginePump.run(client3, server3);
        assertThat(completed(server3).resumed()).isTrue();
    }

    @Test
    void aRotatedKeyListStillOpensTicketsOfTheOlderKey() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        TicketKeys rotated = KEYS.rotate(TicketKeys.newKey(new SecureRandom()), 2);
        EngineEndpoint server = new EngineEndpoint(server().ticketKeys(rotated).build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(completed(server).resumed()).isTrue();
    }

    @Test
    void anExpiredTicketGivesAFullHandshakeNotAFailure() {
        Instant now = Instant.now();
        ResumptionTicket ticket = firstConnection(server().ticketLifetimeSeconds(60).build(), at(now), at(now));
        // the client still thinks the ticket fresh; the server's clock says its lifetime is over
        EngineEndpoint server = new EngineEndpoint(server().build(), at(now.plus(Duration.ofSeconds(61))));
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build(), at(now.plusSeconds(30)));
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).as("%s / %s", server.state().failure(), client.state().failure()).isTrue();
        assertThat(completed(server).resumed()).isFalse();
        assertThat(sentCertificate(server)).isTrue();
        assertThat(server.events(HandshakeEvent.ValueComputed.class)).anyMatch(e -> e.value().equals("ticket expired"));
    }

    @Test
    void aClientDoesNotOfferATicketPastItsLifetime() {
        Instant now = Instant.now();
        ResumptionTicket ticket = firstConnection(server().ticketLifetimeSeconds(60).build(), at(now), at(now));
        EngineEndpoint server = new EngineEndpoint(server().build(), at(now.plusSeconds(61)));
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build(), at(now.plusSeconds(61)));
        EnginePump.run(client, server);
        assertThat(completed(client).resumed()).isFalse();
        assertThat(server.events(HandshakeEvent.MessageReceived.class).get(0).fields().toString())
                .doesNotContain("pre_shared_key");
    }

    @Test
    void aWrongObfuscatedAgeGivesAFullHandshake() {
        Instant now = Instant.now();
        ResumptionTicket ticket = firstConnection(server().build(), at(now), at(now));
        // the client's clock runs a minute behind the server's: its reported age is far from the ticket's real age
        EngineEndpoint server = new EngineEndpoint(server().build(), at(now.plusSeconds(70)));
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build(), at(now.plusSeconds(10)));
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(completed(server).resumed()).isFalse();
    }

    @Test
    void aTicketFromAnUnknownKeyGivesAFullHandshake() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        EngineEndpoint server = new EngineEndpoint(server().ticketKeys(TicketKeys.generate(new SecureRandom())).build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(completed(server).resumed()).isFalse();
        assertThat(completed(client).resumed()).isFalse();
    }

    @Test
    void aTamperedTicketGivesAFullHandshake() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        byte[] altered = Fault.corrupt(ticket.ticket());
        ResumptionTicket tampered = new ResumptionTicket(ticket.version(), ticket.cipherSuite(), altered,
                ticket.sessionId(), ticket.secret(), ticket.extendedMasterSecret(), ticket.ageAdd(),
                ticket.lifetimeSeconds(), ticket.receivedAtMillis(), ticket.serverName(), ticket.applicationProtocol(),
                ticket.peerCertificates());
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(tampered).build());
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(completed(server).resumed()).isFalse();
    }

    @Test
    void aBadBinderIsDecryptError() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).fault(Fault.TAMPER_PSK_BINDER).build());
        EnginePump.run(client, server);
        assertThat(server.state().failure().alert()).isEqualTo(AlertDescription.DECRYPT_ERROR);
        assertThat(server.state().failure().reason()).contains("binder");
        assertThat(client.state().failure().alert()).isEqualTo(AlertDescription.DECRYPT_ERROR);
    }

    @Test
    void aServerWithoutTicketKeysIssuesNoTicketAndIgnoresOffers() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        EngineEndpoint server = new EngineEndpoint(server().ticketKeys(TicketKeys.none()).build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(completed(server).resumed()).isFalse();
        assertThat(client.state().session().latestTicket()).isNull();
    }

    @Test
    void resumptionSurvivesHelloRetryRequestWithANewBinder() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        // the client shares x25519 (and P-256) first; a P-384-only server asks again
        EngineEndpoint server = new EngineEndpoint(server().groups(List.of(NamedGroup.SECP384R1)).build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(server.events(HandshakeEvent.MessageSent.class).get(0).fields().toString()).contains("cf21ad74");
        assertThat(completed(server).resumed()).isTrue();
        assertThat(completed(client).resumed()).isTrue();
    }

    @Test
    void aTicketIsNotUsedForAnotherServerName() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().serverName("other.example").resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(server.events(HandshakeEvent.HandshakeCompleted.class)).allMatch(e -> !e.resumed());
    }

    // --- interop: the JDK's SSLEngine and Bouncy Castle JSSE resume against us, and we against them ---

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdkTlsPeer.Implementation.class)
    void peerClientResumesWithOurServer(JdkTlsPeer.Implementation impl) {
        JdkTlsPeer first = JdkTlsPeer.client().implementation(impl).protocols("TLSv1.3").trustTestRoot()
                .serverName("localhost").peer("localhost", 8443).build();
        EngineEndpoint server1 = new EngineEndpoint(server().build());
        first.send(REQUEST);
        Pump.run(server1, first);
        assertThat(server1.receivedData()).isEqualTo(REQUEST);
        assertThat(completed(server1).resumed()).isFalse();
        assertThat(server1.events(HandshakeEvent.MessageSent.class)).anyMatch(e -> e.type().equals("new_session_ticket"));

        JdkTlsPeer second = JdkTlsPeer.client().sharingContextWith(first).protocols("TLSv1.3")
                .serverName("localhost").peer("localhost", 8443).build();
        EngineEndpoint server2 = new EngineEndpoint(server().build());
        second.send(REQUEST);
        Pump.run(server2, second);
        assertThat(second.failure()).isNull();
        if (impl == JdkTlsPeer.Implementation.BC_JSSE) {
            // Bouncy Castle JSSE 1.84 does not resume TLS 1.3 sessions as a client: it offers no pre_shared_key,
            // and the handshake is a full one (this assertion flips when it starts to)
            assertThat(server2.events(HandshakeEvent.MessageReceived.class).get(0).fields().toString())
                    .doesNotContain("pre_shared_key");
            assertThat(completed(server2).resumed()).isFalse();
        } else {
            assertThat(completed(server2).resumed()).as("%s resumed", impl).isTrue();
            assertThat(sentCertificate(server2)).isFalse();
        }
        assertThat(server2.receivedData()).isEqualTo(REQUEST);
        server2.send(RESPONSE);
        Pump.run(server2, second);
        assertThat(second.receivedAppData()).isEqualTo(RESPONSE);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourClientResumesWithPeerServer(JdkTlsPeer.Implementation impl) {
        JdkTlsPeer firstServer = JdkTlsPeer.server().implementation(impl).protocols("TLSv1.3")
                .identity(TestPki.serverRsa()).trustTestRoot().build();
        EngineEndpoint client1 = new EngineEndpoint(client().build());
        Pump.run(client1, firstServer);
        client1.send(REQUEST);
        Pump.run(client1, firstServer);
        assertThat(firstServer.receivedAppData()).isEqualTo(REQUEST);
        ResumptionTicket ticket = client1.state().session().latestTicket();
        if (impl == JdkTlsPeer.Implementation.BC_JSSE) {
            // Bouncy Castle JSSE 1.84 issues no TLS 1.3 tickets as a server: nothing to resume with
            assertThat(ticket).isNull();
            return;
        }
        assertThat(ticket).as("%s sent a NewSessionTicket", impl).isNotNull();

        JdkTlsPeer secondServer = JdkTlsPeer.server().sharingContextWith(firstServer).protocols("TLSv1.3").build();
        EngineEndpoint client2 = new EngineEndpoint(client().resumption(ticket).build());
        Pump.run(client2, secondServer);
        assertThat(client2.state().isEstablished()).as("failure %s", client2.state().failure()).isTrue();
        assertThat(completed(client2).resumed()).as("%s accepted our ticket", impl).isTrue();
        client2.send(REQUEST);
        secondServer.send(RESPONSE);
        Pump.run(client2, secondServer);
        assertThat(secondServer.receivedAppData()).isEqualTo(REQUEST);
        assertThat(client2.receivedData()).isEqualTo(RESPONSE);
    }

    @Test
    void aCipherSuiteWithAnotherHashIsNotResumed() {
        ResumptionTicket ticket = firstConnection(server().build(), EngineEndpoint.CRYPTO, EngineEndpoint.CRYPTO);
        assertThat(ticket.cipherSuite()).isEqualTo(CipherSuiteId.TLS_AES_128_GCM_SHA256);
        EngineEndpoint server = new EngineEndpoint(server().cipherSuites(List.of(CipherSuiteId.TLS_AES_256_GCM_SHA384)).build());
        EngineEndpoint client = new EngineEndpoint(client().resumption(ticket).build());
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(completed(server).resumed()).isFalse();
    }

    // --- 0-RTT is never accepted: early data records are skipped, within a bound ---

    private static byte[] fakeEarlyDataRecord(int length) {
        byte[] record = new byte[5 + length];
        new SecureRandom().nextBytes(record);
        record[0] = 23;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (length >>> 8);
        record[4] = (byte) length;
        return record;
    }

    @Test
    void earlyDataIsRejectedAndItsRecordsSkipped() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().fault(Fault.OFFER_EARLY_DATA).build());
        byte[] clientHello = client.takeOutput();
        server.receive(dev.handshake.tls.codec.Bytes.concat(clientHello, fakeEarlyDataRecord(300),
                fakeEarlyDataRecord(16_400)));
        assertThat(server.state().isFailed()).as("%s", server.state().failure()).isFalse();
        assertThat(server.events(HandshakeEvent.ValueComputed.class).stream()
                .filter(e -> e.name().equals("early_data_skipped"))).hasSize(2);
        assertThat(server.events(HandshakeEvent.MessageSent.class).stream()
                .filter(e -> e.type().equals("encrypted_extensions")).findFirst().orElseThrow().fields().toString())
                .as("no early_data in EncryptedExtensions").doesNotContain("early_data");
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        client.send(REQUEST);
        EnginePump.run(client, server);
        assertThat(server.receivedData()).isEqualTo(REQUEST);
    }

    @Test
    void earlyDataAfterHelloRetryRequestIsSkippedInTheClear() {
        EngineEndpoint server = new EngineEndpoint(server().groups(List.of(NamedGroup.SECP384R1)).build());
        EngineEndpoint client = new EngineEndpoint(client().fault(Fault.OFFER_EARLY_DATA).build());
        server.receive(dev.handshake.tls.codec.Bytes.concat(client.takeOutput(), fakeEarlyDataRecord(500)));
        assertThat(server.state().isFailed()).isFalse();
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).isTrue();
        assertThat(server.events(HandshakeEvent.ValueComputed.class)).anyMatch(e -> e.name().equals("early_data_skipped"));
    }

    @Test
    void skippingEarlyDataIsBounded() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().fault(Fault.OFFER_EARLY_DATA).build());
        byte[] in = client.takeOutput();
        for (int i = 0; i < 5; i++) {
            in = dev.handshake.tls.codec.Bytes.concat(in, fakeEarlyDataRecord(16_640));
        }
        server.receive(in);
        assertThat(server.state().failure().alert()).isEqualTo(AlertDescription.BAD_RECORD_MAC);
    }

    @Test
    void withoutEarlyDataOfferedAnUndecryptableRecordIsFatal() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().build());
        server.receive(dev.handshake.tls.codec.Bytes.concat(client.takeOutput(), fakeEarlyDataRecord(300)));
        assertThat(server.state().failure().alert()).isEqualTo(AlertDescription.BAD_RECORD_MAC);
    }
}
