package dev.handshake.tls.interop;

import static dev.handshake.tls.interop.PlaintextHandshake.firstMessage;
import static dev.handshake.tls.interop.PlaintextHandshake.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.SocketPump;
import dev.handshake.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.2 resumption at our server: session ids kept in the injected {@link SessionCache} and stateless RFC 5077
 * tickets sealed with the same {@link TicketKeys} as TLS 1.3's, only for sessions with the extended master secret
 * (RFC 7627 §5.3). Against SunJSSE and BC JSSE (a second engine from the same SSLContext) and {@code openssl s_client}
 * with {@code -sess_out} / {@code -sess_in}.
 */
class Tls12ResumptionTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final TicketKeys KEYS = TicketKeys.generate(new SecureRandom());

    @TempDir
    Path dir;

    @BeforeAll
    static void relax() {
        JdkTlsPeer.allowLegacyAlgorithms();
    }

    private static TlsConfig.Builder server(SessionCache cache) {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .versions(ProtocolVersion.TLS1_2, ProtocolVersion.TLS1_2).ticketKeys(KEYS).sessionCache(cache);
    }

    private static HandshakeEvent.HandshakeCompleted completed(EngineEndpoint endpoint) {
        List<HandshakeEvent.HandshakeCompleted> done = endpoint.events(HandshakeEvent.HandshakeCompleted.class);
        assertThat(done).hasSize(1);
        return done.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdkTlsPeer.Implementation.class)
    void peerClientResumesWithOurServer(JdkTlsPeer.Implementation impl) {
        InMemorySessionCache cache = new InMemorySessionCache(16);
        JdkTlsPeer first = JdkTlsPeer.client().implementation(impl).protocols("TLSv1.2").trustTestRoot()
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").peer("localhost", 9443).build();
        EngineEndpoint server1 = new EngineEndpoint(server(cache).build());
        first.send(REQUEST);
        Pump.run(server1, first);
        assertThat(server1.receivedData()).isEqualTo(REQUEST);
        assertThat(completed(server1).resumed()).isFalse();
        assertThat(completed(server1).extendedMasterSecret()).isTrue();
        // RFC 5077 §3.4: a client that takes tickets (SunJSSE) gets no session id and nothing is cached; one that
        // does not (BC JSSE's TLS 1.2 client asks for none) gets an id
        boolean takesTickets = server1.events(HandshakeEvent.MessageReceived.class).stream()
                .filter(e -> e.type().equals("client_hello")).findFirst()
                .map(e -> ClientHello.decode(HandshakeFrame.parse(e.encoded()).body()))
                .orElseThrow().extension(ExtensionType.SESSION_TICKET).isPresent();
        assertThat(takesTickets).isEqualTo(impl == JdkTlsPeer.Implementation.SUN_JSSE);
        assertThat(sentServerHello(server1).sessionId()).hasSize(takesTickets ? 0 : 32);
        assertThat(cache.size()).isEqualTo(takesTickets ? 0 : 1);

        JdkTlsPeer second = JdkTlsPeer.client().sharingContextWith(first).protocols("TLSv1.2")
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").peer("localhost", 9443).build();
        EngineEndpoint server2 = new EngineEndpoint(server(cache).build());
        second.send(REQUEST);
        Pump.run(server2, second);
        assertThat(second.failure()).isNull();
        assertThat(completed(server2).resumed()).as("%s resumed", impl).isTrue();
        assertThat(server2.events(HandshakeEvent.MessageSent.class)).noneMatch(e -> e.type().equals("certificate"));
        assertThat(server2.receivedData()).isEqualTo(REQUEST);
        server2.send(REQUEST);
        Pump.run(server2, second);
        assertThat(second.receivedAppData()).isEqualTo(REQUEST);
        assertThat(second.session().getId()).isEqualTo(first.session().getId());
    }

    @Test
    void anUnknownSessionIdGivesAFullHandshake() {
        JdkTlsPeer first = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().peer("localhost", 9444).build();
        EngineEndpoint server1 = new EngineEndpoint(server(new InMemorySessionCache(16)).ticketKeys(TicketKeys.none()).build());
        Pump.run(server1, first);
        JdkTlsPeer second = JdkTlsPeer.client().sharingContextWith(first).protocols("TLSv1.2").peer("localhost", 9444)
                .build();
        // another node: its own cache, which never saw the session
        EngineEndpoint server2 = new EngineEndpoint(server(new InMemorySessionCache(16)).ticketKeys(TicketKeys.none()).build());
        Pump.run(server2, second);
        assertThat(second.failure()).isNull();
        assertThat(completed(server2).resumed()).isFalse();
    }

    @Test
    void anExpiredSessionGivesAFullHandshake() {
        SessionCache cache = new InMemorySessionCache(16);
        JdkTlsPeer first = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().peer("localhost", 9445).build();
        EngineEndpoint server1 = new EngineEndpoint(server(cache).ticketKeys(TicketKeys.none()).ticketLifetimeSeconds(60)
                .build());
        Pump.run(server1, first);
        JdkTlsPeer second = JdkTlsPeer.client().sharingContextWith(first).protocols("TLSv1.2").peer("localhost", 9445)
                .build();
        SecureRandom random = new SecureRandom();
        EngineEndpoint server2 = new EngineEndpoint(server(cache).ticketKeys(TicketKeys.none()).build(),
                CryptoProviders.preferred().with(() -> random,
                        Clock.fixed(Instant.now().plusSeconds(120), ZoneOffset.UTC)));
        Pump.run(server2, second);
        assertThat(second.failure()).isNull();
        assertThat(completed(server2).resumed()).isFalse();
        assertThat(server2.events(HandshakeEvent.ValueComputed.class))
                .anyMatch(e -> e.value().startsWith("session expired"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"session id", "ticket"})
    void openSslClientResumesWithOurServer(String mechanism) throws Exception {
        assumeTrue(OpenSslProcess.available(), "openssl is not on the PATH");
        InMemorySessionCache cache = new InMemorySessionCache(16);
        TlsConfig config = server(cache).ticketKeys(mechanism.equals("ticket") ? KEYS : TicketKeys.none()).build();
        Path session = dir.resolve("session.pem");
        EngineEndpoint first = serveOpenSsl(config, List.of("-sess_out", session.toString()));
        assertThat(completed(first).resumed()).isFalse();
        EngineEndpoint second = serveOpenSsl(config, List.of("-sess_in", session.toString()));
        assertThat(completed(second).resumed()).as("resumed by %s", mechanism).isTrue();
        if (mechanism.equals("session id")) {
            assertThat(cache.lookup(second.state().session().sessionId())).isPresent();
        } else {
            assertThat(second.events(HandshakeEvent.MessageSent.class)).anyMatch(e -> e.type().equals("new_session_ticket"));
            assertThat(sentServerHello(first).sessionId()).as("RFC 5077 §3.4").isEmpty();
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void aTicketThatDoesNotOpenIsNotBackedUpByTheSessionId() {
        // a session cached under an id, from a server without ticket keys
        InMemorySessionCache cache = new InMemorySessionCache(16);
        EngineEndpoint server1 = new EngineEndpoint(server(cache).ticketKeys(TicketKeys.none()).build());
        EnginePump.run(new EngineEndpoint(client12().build()), server1);
        byte[] cachedId = sentServerHello(server1).sessionId();
        assertThat(cachedId).hasSize(32);
        assertThat(cache.lookup(cachedId)).isPresent();

        ClientHello hello = ClientHello.decode(HandshakeFrame.parse(firstMessage(
                new EngineEndpoint(client12().build()).takeOutput())).body());
        // control: the id with an empty SessionTicket extension resumes by the id
        EngineEndpoint byId = new EngineEndpoint(server(cache).build());
        byId.receive(record(offering(hello, cachedId, Bytes.EMPTY).encode()));
        assertThat(sentServerHello(byId).sessionId()).isEqualTo(cachedId);
        assertThat(byId.events(HandshakeEvent.ValueComputed.class)).anyMatch(e -> e.value().equals("resuming by session id"));

        // RFC 5077 §3.4: with a ticket presented, the server must not resume by the session id, even when the ticket
        // does not open: a full handshake, a fresh (empty) session id and a new ticket
        EngineEndpoint withTicket = new EngineEndpoint(server(cache).build());
        withTicket.receive(record(offering(hello, cachedId, new byte[120]).encode()));
        assertThat(withTicket.state().isFailed()).isFalse();
        assertThat(sentServerHello(withTicket).sessionId()).isEmpty();
        assertThat(withTicket.events(HandshakeEvent.MessageSent.class)).anyMatch(e -> e.type().equals("certificate"));
        assertThat(withTicket.events(HandshakeEvent.ValueComputed.class))
                .noneMatch(e -> e.value().startsWith("resuming"))
                .anyMatch(e -> e.value().startsWith("offered session unknown"));
    }

    /** {@code hello} with {@code sessionId} and a SessionTicket extension holding {@code ticket}. */
    private static ClientHello offering(ClientHello hello, byte[] sessionId, byte[] ticket) {
        List<Extension> extensions = hello.extensions().stream()
                .map(e -> e.type().equals(ExtensionType.SESSION_TICKET) ? new SessionTicketExtension(ticket).toExtension() : e)
                .toList();
        assertThat(extensions).anyMatch(e -> e.type().equals(ExtensionType.SESSION_TICKET));
        return new ClientHello(hello.legacyVersion(), hello.random(), sessionId, hello.cipherSuites(),
                hello.compressionMethods(), extensions);
    }

    private static ServerHello sentServerHello(EngineEndpoint server) {
        return server.events(HandshakeEvent.MessageSent.class).stream().filter(e -> e.type().equals("server_hello"))
                .findFirst().map(e -> ServerHello.decode(HandshakeFrame.parse(e.encoded()).body()))
                .orElseThrow(() -> new AssertionError("no ServerHello sent"));
    }

    /** One s_client connection to our server over a loopback socket; data both ways; returns our endpoint. */
    private EngineEndpoint serveOpenSsl(TlsConfig config, List<String> args) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout((int) WAIT.toMillis());
            OpenSslProcess.ClientBuilder builder = OpenSslProcess.client(listener.getLocalPort()).tls12()
                    .trustTestRoot(dir);
            builder.arg(args.toArray(String[]::new));
            try (OpenSslProcess client = builder.start(); Socket socket = listener.accept()) {
                EngineEndpoint server = new EngineEndpoint(config);
                SocketPump.run(socket, new byte[0], in -> {
                    server.receive(in);
                    return server.takeOutput();
                }, () -> server.state().isEstablished() || server.state().isFailed(), WAIT);
                assertThat(server.state().isEstablished()).as("%s\n%s", server.state().failure(), client.errors()).isTrue();
                client.write("ping from openssl\n");
                SocketPump.run(socket, new byte[0], in -> {
                    server.receive(in);
                    return server.takeOutput();
                }, () -> new String(server.receivedData(), StandardCharsets.US_ASCII).contains("ping"), WAIT);
                server.send("pong from us\n".getBytes(StandardCharsets.US_ASCII));
                SocketPump.send(socket, server.takeOutput());
                client.expectOutput("pong from us", WAIT);
                server.close();
                SocketPump.send(socket, server.takeOutput());
                if (args.contains("-sess_in")) {
                    assertThat(client.output()).contains("Reused");
                }
                return server;
            }
        }
    }

    // --- our client resumes TLS 1.2 sessions ---

    private static TlsConfig.Builder client12() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(ProtocolVersion.TLS1_2, ProtocolVersion.TLS1_2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"session id", "ticket"})
    void ourClientResumesWithOurServer(String mechanism) {
        SessionCache cache = new InMemorySessionCache(16);
        TlsConfig serverConfig = server(cache).ticketKeys(mechanism.equals("ticket") ? KEYS : TicketKeys.none()).build();
        EngineEndpoint server1 = new EngineEndpoint(serverConfig);
        EngineEndpoint client1 = new EngineEndpoint(client12().build());
        EnginePump.run(client1, server1);
        dev.handshake.tls.ResumptionTicket session = client1.state().session().latestTicket();
        assertThat(session).isNotNull();
        assertThat(session.ticket().length > 0).isEqualTo(mechanism.equals("ticket"));

        EngineEndpoint server2 = new EngineEndpoint(serverConfig);
        EngineEndpoint client2 = new EngineEndpoint(client12().resumption(session).build());
        EnginePump.run(client2, server2);
        assertThat(completed(server2).resumed()).isTrue();
        assertThat(completed(client2).resumed()).isTrue();
        assertThat(client2.state().session().peerCertificates()).isNotEmpty();
        client2.send(REQUEST);
        EnginePump.run(client2, server2);
        assertThat(server2.receivedData()).isEqualTo(REQUEST);
        assertThat(client2.state().session().latestTicket()).as("still resumable").isNotNull();

        // a client that also offers TLS 1.3 offers the 1.2 session the same way
        EngineEndpoint server3 = new EngineEndpoint(serverConfig);
        EngineEndpoint client3 = new EngineEndpoint(client12().versions(ProtocolVersion.TLS1_2, ProtocolVersion.TLS1_3)
                .resumption(client2.state().session().latestTicket()).build());
        EnginePump.run(client3, server3);
        assertThat(completed(server3).resumed()).isTrue();
        assertThat(completed(client3).resumed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdkTlsPeer.Implementation.class)
    void ourClientResumesWithPeerServer(JdkTlsPeer.Implementation impl) {
        JdkTlsPeer firstServer = JdkTlsPeer.server().implementation(impl).protocols("TLSv1.2")
                .identity(TestPki.serverRsa()).trustTestRoot().build();
        EngineEndpoint client1 = new EngineEndpoint(client12().build());
        Pump.run(client1, firstServer);
        dev.handshake.tls.ResumptionTicket session = client1.state().session().latestTicket();
        assertThat(session).as("%s gave a session id or ticket", impl).isNotNull();

        JdkTlsPeer secondServer = JdkTlsPeer.server().sharingContextWith(firstServer).protocols("TLSv1.2").build();
        EngineEndpoint client2 = new EngineEndpoint(client12().resumption(session).build());
        Pump.run(client2, secondServer);
        assertThat(client2.state().isEstablished()).as("%s", client2.state().failure()).isTrue();
        assertThat(completed(client2).resumed()).as("%s resumed our session", impl).isTrue();
        client2.send(REQUEST);
        Pump.run(client2, secondServer);
        assertThat(secondServer.receivedAppData()).isEqualTo(REQUEST);
    }

    @Test
    void ourClientResumesWithOpenSslServer() throws Exception {
        assumeTrue(OpenSslProcess.available(), "openssl is not on the PATH");
        try (OpenSslProcess server = OpenSslProcess.server().identity(TestPki.serverRsa(), dir).tls12()
                .arg("-naccept", "2").start()) {
            EngineEndpoint client1 = connectOpenSsl(server.port(), client12().build());
            dev.handshake.tls.ResumptionTicket session = client1.state().session().latestTicket();
            assertThat(session).isNotNull();
            EngineEndpoint client2 = connectOpenSsl(server.port(), client12().resumption(session).build());
            assertThat(completed(client2).resumed()).isTrue();
        }
    }

    private static EngineEndpoint connectOpenSsl(int port, TlsConfig config) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            EngineEndpoint client = new EngineEndpoint(config);
            SocketPump.run(socket, client.takeOutput(), in -> {
                client.receive(in);
                return client.takeOutput();
            }, () -> client.state().isEstablished() || client.state().isFailed(), WAIT);
            assertThat(client.state().isEstablished()).as("%s", client.state().failure()).isTrue();
            // openssl sends its NewSessionTicket before its Finished, so the session is complete here
            client.close();
            SocketPump.send(socket, client.takeOutput());
            return client;
        }
    }
}
