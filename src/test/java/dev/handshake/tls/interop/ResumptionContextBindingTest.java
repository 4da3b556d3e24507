package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ResumptionTicket;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ProtocolVersion;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A session resumes only on a server configuration with the same resumption context (RFC 8446 §4.2.11 and §4.6.1,
 * RFC 5077 §3.4, RFC 5246 §7.4.1.2): two configurations that share ticket keys and a session cache, as the service's
 * relay API and proxy routes do, must not resume each other's sessions when their certificates, client-auth policy,
 * trust anchors or labels differ. Otherwise a session from a server that asked for no client certificate would resume,
 * without one, on a server that requires it. Each case also resumes within one configuration, so it can fail.
 */
class ResumptionContextBindingTest {

    private static final TicketKeys KEYS = TicketKeys.generate(new SecureRandom());

    /** How the client offers its earlier session: a TLS 1.3 PSK ticket, an RFC 5077 ticket or a TLS 1.2 session id. */
    enum Mechanism {
        TLS13_TICKET(ProtocolVersion.TLS1_3, AlertDescription.CERTIFICATE_REQUIRED),
        TLS12_TICKET(ProtocolVersion.TLS1_2, AlertDescription.HANDSHAKE_FAILURE),
        TLS12_SESSION_ID(ProtocolVersion.TLS1_2, AlertDescription.HANDSHAKE_FAILURE);

        final ProtocolVersion version;
        /** What a server requiring a certificate sends a client without one (RFC 8446 §4.4.2.4, RFC 5246 §7.4.6). */
        final AlertDescription noCertificateAlert;

        Mechanism(ProtocolVersion version, AlertDescription noCertificateAlert) {
            this.version = version;
            this.noCertificateAlert = noCertificateAlert;
        }
    }

    /** One server configuration; every one here shares the ticket keys and the session cache. */
    private static TlsConfig.Builder server(Mechanism mechanism, SessionCache sharedCache) {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverEcdsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf())).versions(ProtocolVersion.TLS1_2, mechanism.version)
                .ticketKeys(mechanism == Mechanism.TLS12_SESSION_ID ? TicketKeys.none() : KEYS)
                .sessionCache(sharedCache);
    }

    private static TlsConfig.Builder client(Mechanism mechanism) {
        return TlsConfig.client().serverName(TestPki.HOST).trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(mechanism.version, mechanism.version);
    }

    private static TlsConfig.Builder clientWithCertificate(Mechanism mechanism) {
        return client(mechanism).identity(EngineEndpoint.identity(TestPki.clientRsa()));
    }

    /** A full handshake with {@code serverConfig}; the session the client keeps to offer later. */
    private static ResumptionTicket establish(TlsConfig serverConfig, TlsConfig clientConfig, Mechanism mechanism) {
        EngineEndpoint server = new EngineEndpoint(serverConfig);
        EngineEndpoint client = new EngineEndpoint(clientConfig);
        EnginePump.run(client, server);
        assertThat(server.state().isEstablished()).as("%s", server.state().failure()).isTrue();
        ResumptionTicket session = client.state().session().latestTicket();
        assertThat(session).as("the client keeps a session to resume").isNotNull();
        assertThat(session.ticket().length > 0).isEqualTo(mechanism != Mechanism.TLS12_SESSION_ID);
        return session;
    }

    /** The second connection, offering {@code session} to {@code serverConfig}. */
    private static EngineEndpoint[] offer(ResumptionTicket session, TlsConfig serverConfig, TlsConfig.Builder client) {
        EngineEndpoint server = new EngineEndpoint(serverConfig);
        EngineEndpoint clientEndpoint = new EngineEndpoint(client.resumption(session).build());
        EnginePump.run(clientEndpoint, server);
        return new EngineEndpoint[] {server, clientEndpoint};
    }

    private static boolean resumed(EngineEndpoint server) {
        return server.events(HandshakeEvent.HandshakeCompleted.class).stream().anyMatch(HandshakeEvent.HandshakeCompleted::resumed);
    }

    private static boolean askedForCertificate(EngineEndpoint server) {
        return server.events(HandshakeEvent.MessageSent.class).stream()
                .anyMatch(e -> e.type().equals("certificate_request"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mechanism.class)
    void aSessionWithAClientCertificateResumesOnTheSameConfigurationAndReportsThatCertificate(Mechanism mechanism) {
        TlsConfig required = server(mechanism, new InMemorySessionCache(16)).clientAuth(ClientAuth.REQUIRED).build();
        ResumptionTicket session = establish(required, clientWithCertificate(mechanism).build(), mechanism);

        EngineEndpoint[] pair = offer(session, required, clientWithCertificate(mechanism));
        EngineEndpoint server = pair[0];
        assertThat(resumed(server)).isTrue();
        assertThat(askedForCertificate(server)).isFalse();
        assertThat(server.state().session().peerCertificates()).as("the certificate the session was established with")
                .containsExactlyElementsOf(derOf(TestPki.clientRsa()));
        assertThat(server.events(HandshakeEvent.HandshakeCompleted.class).get(0).peerCertificates())
                .hasSize(TestPki.clientRsa().chain().size());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mechanism.class)
    void aSessionFromAServerWithoutClientAuthDoesNotResumeWhereACertificateIsRequired(Mechanism mechanism) {
        SessionCache shared = new InMemorySessionCache(16);
        TlsConfig none = server(mechanism, shared).build();
        TlsConfig required = server(mechanism, shared).clientAuth(ClientAuth.REQUIRED).build();
        ResumptionTicket session = establish(none, client(mechanism).build(), mechanism);

        // the control: the same session resumes where it was established
        assertThat(resumed(offer(session, none, client(mechanism))[0])).isTrue();

        EngineEndpoint[] withoutCertificate = offer(session, required, client(mechanism));
        assertThat(resumed(withoutCertificate[0])).isFalse();
        assertThat(askedForCertificate(withoutCertificate[0])).isTrue();
        assertThat(withoutCertificate[0].state().isFailed()).isTrue();
        assertThat(withoutCertificate[0].state().failure().alert()).isEqualTo(mechanism.noCertificateAlert);
        assertThat(withoutCertificate[0].state().failure().sentByUs()).isTrue();

        EngineEndpoint[] withCertificate = offer(session, required, clientWithCertificate(mechanism));
        assertThat(resumed(withCertificate[0])).isFalse();
        assertThat(withCertificate[0].state().isEstablished()).as("a full handshake with a certificate").isTrue();
        assertThat(withCertificate[0].state().session().peerCertificates()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mechanism.class)
    void aSessionDoesNotResumeOnAServerTrustingOtherAnchors(Mechanism mechanism) {
        SessionCache shared = new InMemorySessionCache(16);
        TlsConfig trustsRoot = server(mechanism, shared).clientAuth(ClientAuth.REQUIRED).build();
        TlsConfig trustsOtherCa = server(mechanism, shared).clientAuth(ClientAuth.REQUIRED)
                .trustAnchors(List.of(TestPki.untrustedCa().leaf())).build();
        ResumptionTicket session = establish(trustsRoot, clientWithCertificate(mechanism).build(), mechanism);

        EngineEndpoint server = offer(session, trustsOtherCa, clientWithCertificate(mechanism))[0];
        assertThat(resumed(server)).isFalse();
        assertThat(askedForCertificate(server)).isTrue();
        assertThat(server.state().isFailed()).as("the client's certificate is not from the anchors trusted here").isTrue();
        assertThat(server.state().failure().alert()).isEqualTo(AlertDescription.UNKNOWN_CA);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mechanism.class)
    void aSessionDoesNotResumeOnAServerWithAnotherCertificate(Mechanism mechanism) {
        SessionCache shared = new InMemorySessionCache(16);
        TlsConfig ecdsa = server(mechanism, shared).build();
        TlsConfig rsa = TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .versions(ProtocolVersion.TLS1_2, mechanism.version)
                .ticketKeys(mechanism == Mechanism.TLS12_SESSION_ID ? TicketKeys.none() : KEYS)
                .sessionCache(shared).build();
        ResumptionTicket session = establish(ecdsa, client(mechanism).build(), mechanism);

        EngineEndpoint[] pair = offer(session, rsa, client(mechanism));
        assertThat(resumed(pair[0])).isFalse();
        assertThat(pair[0].state().isEstablished()).isTrue();
        assertThat(pair[1].state().session().peerCertificates().get(0))
                .as("the client authenticated the certificate this server holds")
                .isEqualTo(derOf(TestPki.serverRsa()).get(0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mechanism.class)
    void aSessionDoesNotResumeUnderAnotherLabel(Mechanism mechanism) {
        SessionCache shared = new InMemorySessionCache(16);
        TlsConfig routeA = server(mechanism, shared).resumptionContextLabel("route a").build();
        TlsConfig routeB = server(mechanism, shared).resumptionContextLabel("route b").build();
        ResumptionTicket session = establish(routeA, client(mechanism).build(), mechanism);

        assertThat(resumed(offer(session, routeB, client(mechanism))[0])).isFalse();
        // a rebuilt configuration with the same label (another replica, a route rebuilt) is the same context
        TlsConfig routeAAgain = server(mechanism, shared).resumptionContextLabel("route a").build();
        assertThat(resumed(offer(session, routeAAgain, client(mechanism))[0])).isTrue();
    }

    private static List<byte[]> derOf(TestPki.Identity identity) {
        return identity.chain().stream().map(certificate -> {
            try {
                return certificate.getEncoded();
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
