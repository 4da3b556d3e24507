package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ResumptionTicket;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.record.RecordPadding;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.SocketPump;
import dev.handshake.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our TLS 1.3 engine against real {@code openssl} 3.0 processes over loopback sockets, both roles: every group and
 * suite OpenSSL 3.0 has in common with us, HelloRetryRequest forced by a key share for a group we lack, client
 * authentication, resumption ({@code -sess_out}/{@code -sess_in}, and s_server's own cache), and KeyUpdate from
 * OpenSSL's {@code k}/{@code K} commands and from us. Application data crosses both ways in every case.
 */
class Tls13OpenSslInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final TicketKeys KEYS = TicketKeys.generate(new SecureRandom());

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() {
        assumeTrue(OpenSslProcess.available(), "openssl is not on the PATH (.ci/run installs it)");
    }

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()))
                .identity(EngineEndpoint.identity(TestPki.serverEcdsa()))
                .trustAnchors(List.of(TestPki.rootCa().leaf())).ticketKeys(KEYS);
    }

    private static TlsConfig.Builder client() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3);
    }

    private static void pump(Socket socket, EngineEndpoint ours, BooleanSupplier until) throws Exception {
        SocketPump.run(socket, ours.takeOutput(), in -> {
            ours.receive(in);
            return ours.takeOutput();
        }, () -> until.getAsBoolean() || ours.state().isFailed(), WAIT);
        SocketPump.send(socket, ours.takeOutput());
    }

    private static boolean received(EngineEndpoint ours, String text) {
        return new String(ours.receivedData(), StandardCharsets.US_ASCII).contains(text);
    }

    private static HandshakeEvent.HandshakeCompleted completed(EngineEndpoint endpoint) {
        return endpoint.events(HandshakeEvent.HandshakeCompleted.class).get(0);
    }

    /** One s_client connection to our server; data both ways, then whatever {@code more} does; returns our side. */
    private EngineEndpoint serveOpenSsl(TlsConfig config, java.util.function.IntFunction<OpenSslProcess.ClientBuilder> builder,
                                        Extra more)
            throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout((int) WAIT.toMillis());
            try (OpenSslProcess client = builder.apply(listener.getLocalPort()).start(); Socket socket = listener.accept()) {
                EngineEndpoint server = new EngineEndpoint(config);
                pump(socket, server, () -> server.state().isEstablished());
                assertThat(server.state().isEstablished()).as("%s\n%s", server.state().failure(), client.errors())
                        .isTrue();
                client.write("ping from openssl\n");
                pump(socket, server, () -> received(server, "ping from openssl"));
                assertThat(received(server, "ping from openssl")).isTrue();
                server.send("pong from us\n".getBytes(StandardCharsets.US_ASCII));
                SocketPump.send(socket, server.takeOutput());
                client.expectOutput("pong from us", WAIT);
                more.run(client, socket, server);
                server.close();
                SocketPump.send(socket, server.takeOutput());
                return server;
            }
        }
    }

    interface Extra {
        void run(OpenSslProcess peer, Socket socket, EngineEndpoint ours) throws Exception;
    }

    private OpenSslProcess.ClientBuilder sClient(int port) {
        return OpenSslProcess.client(port).tls13().trustTestRoot(dir).serverName("localhost").verifyServer("localhost");
    }

    // --- our server <- openssl s_client ---

    @ParameterizedTest(name = "{0}")
    @CsvSource({"X25519,X25519", "P-256,SECP256R1", "P-384,SECP384R1"})
    void ourServerWithEachGroup(String openSslGroup, String ourGroup) throws Exception {
        EngineEndpoint server = serveOpenSsl(server().build(), port -> sClient(port).arg("-groups", openSslGroup), (p, s, o) -> { });
        assertThat(server.state().session().group().name()).isEqualToIgnoringCase(ourGroup);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"})
    void ourServerWithEachSuite(String suite) throws Exception {
        EngineEndpoint server = serveOpenSsl(server().build(), port -> sClient(port).ciphersuites(suite), (p, s, o) -> { });
        assertThat(server.state().session().cipherSuite().name()).isEqualTo(suite);
        assertThat(server.state().session().version()).isEqualTo(ProtocolVersion.TLS1_3);
    }

    @Test
    void ourServerForcesHelloRetryRequestWhenTheOnlyShareIsForAGroupItLacks() throws Exception {
        // s_client sends a key share for its first group only (P-256), which this server does not take
        TlsConfig config = server().groups(List.of(NamedGroup.SECP384R1, NamedGroup.X25519)).build();
        EngineEndpoint server = serveOpenSsl(config, port -> sClient(port).arg("-groups", "P-256:P-384"), (p, s, o) -> { });
        assertThat(server.events(HandshakeEvent.MessageSent.class).get(0).fields().toString())
                .as("HelloRetryRequest's random").contains("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
        assertThat(server.state().session().group()).isEqualTo(NamedGroup.SECP384R1);
    }

    @Test
    void ourServerRequiresAndChecksOpenSslClientCertificate() throws Exception {
        TlsConfig config = server().clientAuth(ClientAuth.REQUIRED).build();
        EngineEndpoint server = serveOpenSsl(config, port -> sClient(port).identity(TestPki.clientEcdsa(), dir), (p, s, o) -> { });
        assertThat(server.state().session().peerCertificates()).isNotEmpty();
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).allMatch(HandshakeEvent.PeerCertificateChecked::trusted);
    }

    @Test
    void openSslClientResumesWithOurServer() throws Exception {
        Path session = dir.resolve("tls13-session.pem");
        // s_client writes the session when the NewSessionTicket arrives, which our server sends after its Finished
        EngineEndpoint first = serveOpenSsl(server().build(), port -> sClient(port).arg("-sess_out", session.toString()),
                (p, s, o) -> { });
        assertThat(completed(first).resumed()).isFalse();
        assertThat(session).exists();
        EngineEndpoint second = serveOpenSsl(server().build(), port -> sClient(port).arg("-sess_in", session.toString()),
                (p, s, o) -> p.expectOutput("Reused, TLSv1.3", WAIT));
        assertThat(completed(second).resumed()).isTrue();
        assertThat(second.events(HandshakeEvent.MessageSent.class)).noneMatch(e -> e.type().equals("certificate"));
    }

    @Test
    void ourServerFollowsOpenSslKeyUpdates() throws Exception {
        EngineEndpoint server = serveOpenSsl(server().build(), port -> sClient(port).stdinCommands(), (peer, socket, ours) -> {
            peer.write("k\n"); // KeyUpdate, update_not_requested
            peer.write("after small k\n");
            pump(socket, ours, () -> received(ours, "after small k"));
            peer.write("K\n"); // KeyUpdate, update_requested: we answer with our own
            peer.write("after big K\n");
            pump(socket, ours, () -> received(ours, "after big K"));
            ours.send("under our updated key\n".getBytes(StandardCharsets.US_ASCII));
            SocketPump.send(socket, ours.takeOutput());
            peer.expectOutput("under our updated key", WAIT);
        });
        assertThat(server.events(HandshakeEvent.MessageReceived.class).stream()
                .filter(e -> e.type().equals("key_update"))).hasSize(2);
        assertThat(server.events(HandshakeEvent.MessageSent.class).stream()
                .filter(e -> e.type().equals("key_update"))).hasSize(1);
    }

    @Test
    void openSslClientAcceptsOurPaddedRecords() throws Exception {
        // RFC 8446 §5.4: every record of ours is padded to a 1024-byte block; s_client strips the zeros
        EngineEndpoint server = serveOpenSsl(server().recordPadding(RecordPadding.toMultipleOf(1024)).build(),
                this::sClient, (peer, socket, ours) -> {
                    ours.send(("x".repeat(5000) + " end of a long padded answer\n").getBytes(StandardCharsets.US_ASCII));
                    SocketPump.send(socket, ours.takeOutput());
                    peer.expectOutput("end of a long padded answer", WAIT);
                });
        assertThat(server.state().closeNotifySent()).isTrue();
    }

    @Test
    void ourServerAuthenticatesOpenSslClientAfterTheHandshake() throws Exception {
        // s_client -enable_pha offers post_handshake_auth and answers our CertificateRequest with its -cert
        EngineEndpoint server = serveOpenSsl(server().build(),
                port -> sClient(port).arg("-enable_pha").identity(TestPki.clientEcdsa(), dir), (peer, socket, ours) -> {
                    assertThat(ours.state().session().peerCertificates()).isEmpty();
                    ours.requestClientCertificate(ClientAuth.REQUIRED);
                    SocketPump.send(socket, ours.takeOutput());
                    peer.write("data after the request\n");
                    pump(socket, ours, () -> received(ours, "data after the request")
                            && !ours.state().session().peerCertificates().isEmpty());
                    ours.send("answer after post-handshake auth\n".getBytes(StandardCharsets.US_ASCII));
                    SocketPump.send(socket, ours.takeOutput());
                    peer.expectOutput("answer after post-handshake auth", WAIT);
                });
        assertThat(server.state().session().peerCertificates()).hasSize(TestPki.clientEcdsa().chain().size());
        assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                .satisfies(check -> assertThat(check.trusted()).isTrue());
        assertThat(server.events(HandshakeEvent.MessageReceived.class)).extracting(HandshakeEvent.MessageReceived::type)
                .containsSubsequence("certificate", "certificate_verify", "finished");
    }

    @Test
    void openSslClientWithoutACertificateGetsCertificateRequiredAfterTheHandshake() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout((int) WAIT.toMillis());
            try (OpenSslProcess client = sClient(listener.getLocalPort()).arg("-enable_pha").start();
                 Socket socket = listener.accept()) {
                EngineEndpoint server = new EngineEndpoint(server().build());
                pump(socket, server, () -> server.state().isEstablished());
                server.requestClientCertificate(ClientAuth.REQUIRED);
                SocketPump.send(socket, server.takeOutput());
                pump(socket, server, () -> server.state().isFailed());
                assertThat(server.events(HandshakeEvent.AlertSent.class)).extracting(HandshakeEvent.AlertSent::description)
                        .containsExactly(dev.handshake.tls.wire.AlertDescription.CERTIFICATE_REQUIRED);
            }
        }
    }

    // --- our client -> openssl s_server ---

    private EngineEndpoint connect(OpenSslProcess server, TlsConfig config, Extra more) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            EngineEndpoint client = new EngineEndpoint(config);
            pump(socket, client, () -> client.state().isEstablished());
            assertThat(client.state().isEstablished()).as("%s\n%s", client.state().failure(), server.errors()).isTrue();
            client.send("ping from us\n".getBytes(StandardCharsets.US_ASCII));
            SocketPump.send(socket, client.takeOutput());
            server.expectOutput("ping from us", WAIT);
            server.write("pong from openssl\n");
            pump(socket, client, () -> received(client, "pong from openssl"));
            assertThat(received(client, "pong from openssl")).isTrue();
            more.run(server, socket, client);
            client.close();
            SocketPump.send(socket, client.takeOutput());
            return client;
        }
    }

    private OpenSslProcess.ServerBuilder sServer() {
        return OpenSslProcess.server().identity(TestPki.serverRsa(), dir).tls13();
    }

    @Test
    void openSslServerAcceptsOurPaddedRecords() throws Exception {
        try (OpenSslProcess server = sServer().start()) {
            EngineEndpoint client = connect(server, client().recordPadding(RecordPadding.fixed(200)).build(),
                    (peer, socket, ours) -> {
                        ours.send(("y".repeat(3000) + " end of a long padded request\n").getBytes(StandardCharsets.US_ASCII));
                        SocketPump.send(socket, ours.takeOutput());
                        peer.expectOutput("end of a long padded request", WAIT);
                    });
            assertThat(client.state().closeNotifySent()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"X25519,X25519", "P-256,SECP256R1", "P-384,SECP384R1"})
    void ourClientWithEachGroup(String openSslGroup, String ourGroup) throws Exception {
        NamedGroup group = List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1).stream()
                .filter(g -> g.name().equalsIgnoreCase(ourGroup)).findFirst().orElseThrow();
        try (OpenSslProcess server = sServer().arg("-groups", openSslGroup).start()) {
            EngineEndpoint client = connect(server, client().groups(List.of(group)).build(), (p, s, o) -> { });
            assertThat(client.state().session().group()).isEqualTo(group);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"})
    void ourClientWithEachSuite(String suite) throws Exception {
        try (OpenSslProcess server = sServer().ciphersuites(suite).start()) {
            EngineEndpoint client = connect(server, client().build(), (p, s, o) -> { });
            assertThat(client.state().session().cipherSuite().name()).isEqualTo(suite);
        }
    }

    @Test
    void openSslServerForcesHelloRetryRequestOnOurClient() throws Exception {
        // we send shares for x25519 and P-256; this server takes only P-384
        try (OpenSslProcess server = sServer().arg("-groups", "P-384").start()) {
            EngineEndpoint client = connect(server, client().build(), (p, s, o) -> { });
            assertThat(client.state().session().group()).isEqualTo(NamedGroup.SECP384R1);
            assertThat(client.events(HandshakeEvent.MessageSent.class).stream()
                    .filter(e -> e.type().equals("client_hello"))).hasSize(2);
        }
    }

    @Test
    void openSslServerRequiresOurClientCertificate() throws Exception {
        try (OpenSslProcess server = sServer().trustTestRoot(dir).requireClientCertificate().start()) {
            EngineEndpoint client = connect(server,
                    client().identity(EngineEndpoint.identity(TestPki.clientRsa())).build(), (p, s, o) -> { });
            assertThat(client.events(HandshakeEvent.MessageSent.class)).anyMatch(e -> e.type().equals("certificate_verify"));
        }
    }

    @Test
    void ourClientAnswersOpenSslServerPostHandshakeCertificateRequest() throws Exception {
        // no -verify: s_server asks for nothing in the handshake; its "c" command sends a post-handshake
        // CertificateRequest (OpenSSL: only to a client that offered post_handshake_auth) and checks the answer
        // against -CAfile, printing its verify callback's "depth=0 CN = client" only then
        try (OpenSslProcess server = sServer().trustTestRoot(dir).start()) {
            EngineEndpoint client = connect(server, client().postHandshakeAuth(true)
                    .identity(EngineEndpoint.identity(TestPki.clientRsa())).build(), (peer, socket, ours) -> {
                        assertThat(peer.errors()).doesNotContain("CN = client");
                        peer.write("c\n");
                        peer.write("data after the request\n");
                        pump(socket, ours, () -> received(ours, "data after the request"));
                        peer.expectOutput("depth=0 CN = client", WAIT);
                        ours.send("data after our answer\n".getBytes(StandardCharsets.US_ASCII));
                        SocketPump.send(socket, ours.takeOutput());
                        peer.expectOutput("data after our answer", WAIT);
                    });
            assertThat(server.errors()).doesNotContain("verify error"); // the verify callback writes to stderr
            assertThat(client.events(HandshakeEvent.MessageSent.class))
                    .filteredOn(e -> e.step() == dev.handshake.tls.event.SeedStep.RENEGOTIATION)
                    .extracting(HandshakeEvent.MessageSent::type)
                    .containsExactly("certificate", "certificate_verify", "finished");
        }
    }

    @Test
    void ourClientAnswersOpenSslServerThatAlsoVerifiedInTheHandshake() throws Exception {
        // -verify: a CertificateRequest in the handshake as well; "c" then asks again after it
        try (OpenSslProcess server = sServer().trustTestRoot(dir).arg("-verify", "1").start()) {
            EngineEndpoint client = connect(server, client().postHandshakeAuth(true)
                    .identity(EngineEndpoint.identity(TestPki.clientEcdsa())).build(), (peer, socket, ours) -> {
                        peer.write("c\n");
                        peer.write("data after the request\n");
                        pump(socket, ours, () -> received(ours, "data after the request"));
                        ours.send("data after our answer\n".getBytes(StandardCharsets.US_ASCII));
                        SocketPump.send(socket, ours.takeOutput());
                        peer.expectOutput("data after our answer", WAIT);
                    });
            assertThat(client.events(HandshakeEvent.MessageSent.class)).extracting(HandshakeEvent.MessageSent::type)
                    .filteredOn("certificate"::equals).hasSize(2);
            // s_server's verify callback (on stderr) ran once in the handshake and once after "c"
            assertThat(server.errors().split("depth=0 CN = client-ecdsa", -1)).hasSize(3);
        }
    }

    @Test
    void ourClientResumesWithOpenSslServer() throws Exception {
        try (OpenSslProcess server = sServer().arg("-naccept", "2").start()) {
            // OpenSSL sends its tickets after our Finished; the data round trip in connect() has brought them
            EngineEndpoint first = connect(server, client().build(), (p, s, o) -> { });
            ResumptionTicket ticket = first.state().session().latestTicket();
            assertThat(ticket).isNotNull();
            EngineEndpoint second = connect(server, client().resumption(ticket).build(), (p, s, o) -> { });
            assertThat(completed(second).resumed()).isTrue();
            assertThat(second.events(HandshakeEvent.MessageReceived.class)).noneMatch(e -> e.type().equals("certificate"));
        }
    }

    @Test
    void ourClientFollowsOpenSslKeyUpdatesAndSendsItsOwn() throws Exception {
        try (OpenSslProcess server = sServer().start()) {
            EngineEndpoint client = connect(server, client().build(), (peer, socket, ours) -> {
                peer.write("k\n");
                peer.write("after small k\n");
                pump(socket, ours, () -> received(ours, "after small k"));
                peer.write("K\n");
                peer.write("after big K\n");
                pump(socket, ours, () -> received(ours, "after big K"));
                ours.renegotiate(); // TLS 1.3: KeyUpdate(update_requested)
                ours.send("after our KeyUpdate\n".getBytes(StandardCharsets.US_ASCII));
                SocketPump.send(socket, ours.takeOutput());
                peer.expectOutput("after our KeyUpdate", WAIT);
                peer.write("answer under openssl's new key\n");
                pump(socket, ours, () -> received(ours, "answer under openssl's new key"));
                assertThat(received(ours, "answer under openssl's new key")).isTrue();
            });
            assertThat(client.events(HandshakeEvent.MessageReceived.class).stream()
                    .filter(e -> e.type().equals("key_update"))).hasSizeGreaterThanOrEqualTo(3);
        }
    }
}
