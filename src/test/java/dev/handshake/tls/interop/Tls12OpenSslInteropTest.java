package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.KeyExchange;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.testing.OpenSslProcess;
import dev.handshake.testing.SocketPump;
import dev.handshake.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our TLS 1.2 engine against real {@code openssl s_client} and {@code s_server} processes (OpenSSL 3.0) on loopback,
 * both roles, every TLS 1.2 suite of {@link Profile#LEGACY} that this OpenSSL can speak: application data both ways,
 * client authentication, renegotiation started by the OpenSSL side and by ours, and one refusal per direction.
 *
 * <p>The engine side runs in the test thread over a blocking socket ({@link SocketPump}): bytes read go to
 * {@code advance}, its outbound records go back. {@link EngineEndpoint} round-trips the connection state through its
 * serialized form after every call, so every exchange here also proves a connection can stop and continue anywhere.
 *
 * <p>OpenSSL's stdin is its application data and its command channel: a line {@code R} (s_client) or {@code r}
 * (s_server) renegotiates. A line must arrive in its own read for s_client to see a command, so each step waits for
 * the previous one to show on the wire before the next line is written.
 */
class Tls12OpenSslInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The two suites only {@link Profile#LEGACY} adds, by their OpenSSL names. OpenSSL's stdname listing leaves out
     * what its build cannot do, so these are spelled here for the test that proves their absence.
     */
    private static final Map<CipherSuiteId, String> LEGACY_OPENSSL_NAMES = Map.of(
            CipherSuiteId.TLS_RSA_WITH_3DES_EDE_CBC_SHA, "DES-CBC3-SHA",
            CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA, "RC4-SHA");

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() {
        assumeTrue(OpenSslProcess.available(), "openssl is not on the PATH (.ci/run installs it)");
    }

    /** IANA name to OpenSSL name, as this OpenSSL reports them (with the legacy provider loaded, at level 0). */
    private static final class OpenSslNames {
        static final Map<String, String> BY_IANA_NAME = load();

        private static Map<String, String> load() {
            Map<String, String> names = new HashMap<>();
            for (String line : run("ciphers", "-stdname", "-provider", "legacy", "-provider", "default",
                    "ALL:@SECLEVEL=0").lines().toList()) {
                // "TLS_RSA_WITH_AES_128_GCM_SHA256 - AES128-GCM-SHA256 TLSv1.2 Kx=RSA ..."
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 2 && fields[1].equals("-")) {
                    names.put(fields[0], fields[2]);
                }
            }
            return names;
        }

        private static String run(String... args) {
            try {
                List<String> command = new java.util.ArrayList<>(List.of("openssl"));
                command.addAll(List.of(args));
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                p.waitFor(10, TimeUnit.SECONDS);
                return output;
            } catch (IOException e) {
                return ""; // no openssl: no suites, and the @BeforeAll assumption skips the class
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    /** Every TLS 1.2 suite of the legacy profile (a superset of the others) that this OpenSSL has. */
    static Stream<String> suites() {
        return Profile.LEGACY.suites().stream().map(CipherSuites::require).filter(s -> !s.isTls13())
                .map(s -> s.id().name()).filter(OpenSslNames.BY_IANA_NAME::containsKey);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Our server, openssl s_client

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void ourServerCarriesDataAndFollowsRenegotiationFromOpenSslClient(String suiteName) throws Exception {
        CipherSuite suite = suite(suiteName);
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).build());
        try (ServerSocket listener = listener();
                OpenSslProcess client = openSslClient(suite, listener.getLocalPort()).stdinCommands().start();
                Socket socket = listener.accept()) {
            pump(socket, server, client, "handshake", () -> server.state().isEstablished() || server.state().isFailed());
            assertEstablished(server, suite);
            client.expectOutput("Verify return code: 0 (ok)", WAIT);
            client.expectOutput("Cipher is " + openSslName(suite), WAIT);
            client.expectOutput("Secure Renegotiation IS supported", WAIT);

            exchangeLines(socket, server, client, "first");

            // RFC 5746 secure renegotiation: on by default in OpenSSL 3 for TLS 1.2 clients, no -legacy_renegotiation
            client.write("R\n");
            pump(socket, server, client, "renegotiation",
                    () -> server.events(HandshakeEvent.HandshakeCompleted.class).size() == 2 || server.state().isFailed());
            client.expectOutput("RENEGOTIATING", WAIT);
            assertEstablished(server, suite);
            assertThat(server.state().renegotiations()).isEqualTo(1);
            assertThat(server.events(HandshakeEvent.HandshakeCompleted.class))
                    .extracting(HandshakeEvent.HandshakeCompleted::renegotiation).containsExactly(false, true);

            exchangeLines(socket, server, client, "renegotiated");

            // EOF on s_client's stdin (without -ign_eof): it sends close_notify and we answer with ours
            client.closeStdin();
            pump(socket, server, client, "close_notify", () -> server.state().closeNotifyReceived());
            assertThat(server.state().closeNotifySent()).isTrue();
            assertThat(server.state().failure()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void ourServerRequiringAClientCertificateAuthenticatesOpenSslClient(String suiteName) throws Exception {
        CipherSuite suite = suite(suiteName);
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).clientAuth(ClientAuth.REQUIRED).build());
        try (ServerSocket listener = listener();
                OpenSslProcess client = openSslClient(suite, listener.getLocalPort())
                        .identity(TestPki.clientRsa(), dir.resolve("client")).start();
                Socket socket = listener.accept()) {
            pump(socket, server, client, "handshake", () -> server.state().isEstablished() || server.state().isFailed());
            assertEstablished(server, suite);
            assertThat(server.state().session().peerCertificates().get(0)).isEqualTo(TestPki.clientRsa().leaf().getEncoded());
            assertThat(server.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                    .satisfies(check -> assertThat(check.trusted()).isTrue());
            client.expectOutput("Verify return code: 0 (ok)", WAIT);

            exchangeLines(socket, server, client, "authenticated");
        }
    }

    @Test
    void ourServerRequiringAClientCertificateRefusesOpenSslClientWithout() throws Exception {
        CipherSuite suite = suite(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.name());
        EngineEndpoint server = new EngineEndpoint(serverConfig(suite).clientAuth(ClientAuth.REQUIRED).build());
        try (ServerSocket listener = listener();
                OpenSslProcess client = openSslClient(suite, listener.getLocalPort()).start();
                Socket socket = listener.accept()) {
            pump(socket, server, client, "refusal", () -> server.state().isFailed());

            assertFailedWith(server, "handshake_failure");
            // OpenSSL's own words for the alert it received (40 = handshake_failure)
            client.expectOutput("SSL alert number 40", WAIT);
            assertThat(client.awaitExit(WAIT)).as(client.transcript()).isNotZero();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Our client, openssl s_server

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void ourClientCarriesDataAndFollowsRenegotiationRequestedByOpenSslServer(String suiteName) throws Exception {
        CipherSuite suite = suite(suiteName);
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite).build());
        try (OpenSslProcess server = openSslServer(suite).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            pump(socket, client, server, "handshake", () -> client.state().isEstablished() || client.state().isFailed());
            assertEstablished(client, suite);
            server.expectOutput("CIPHER is " + openSslName(suite), WAIT);
            server.expectOutput("Secure Renegotiation IS supported", WAIT);

            exchangeLines(socket, client, server, "first");

            // s_server's "r" sends HelloRequest (seed step 11 from the server's side); our client answers with a
            // ClientHello carrying renegotiation_info bound to the first handshake
            server.write("r\n");
            pump(socket, client, server, "renegotiation",
                    () -> client.events(HandshakeEvent.HandshakeCompleted.class).size() == 2 || client.state().isFailed());
            assertEstablished(client, suite);
            assertThat(client.state().renegotiations()).isEqualTo(1);
            assertThat(client.events(HandshakeEvent.RenegotiationStarted.class)).singleElement()
                    .satisfies(started -> assertThat(started.initiator()).isEqualTo("server"));

            exchangeLines(socket, client, server, "renegotiated");

            client.close();
            SocketPump.send(socket, client.takeOutput());
            server.expectOutput("DONE", WAIT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void ourClientPresentsItsCertificateToOpenSslServerThatVerifiesIt(String suiteName) throws Exception {
        CipherSuite suite = suite(suiteName);
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite)
                .identity(EngineEndpoint.identity(TestPki.clientEcdsa())).build());
        try (OpenSslProcess server = openSslServer(suite).trustTestRoot(dir)
                .arg("-Verify", "1", "-verify_return_error").start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            pump(socket, client, server, "handshake", () -> client.state().isEstablished() || client.state().isFailed());
            assertEstablished(client, suite);
            exchangeLines(socket, client, server, "authenticated");
            // s_server prints the verified client subject once the handshake is done
            assertThat(server.output()).contains("CN = client-ecdsa");
        }
    }

    @Test
    void ourClientRenegotiatesWithOpenSslServerThatAllowsIt() throws Exception {
        // OpenSSL 3 refuses client-initiated renegotiation unless told otherwise (-client_renegotiation); with it, our
        // client's own seed step 11 runs against a real server
        CipherSuite suite = suite(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256.name());
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite).build());
        try (OpenSslProcess server = openSslServer(suite).arg("-client_renegotiation").start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            pump(socket, client, server, "handshake", () -> client.state().isEstablished() || client.state().isFailed());
            client.renegotiate();
            pump(socket, client, server, "renegotiation",
                    () -> client.events(HandshakeEvent.HandshakeCompleted.class).size() == 2 || client.state().isFailed());
            assertEstablished(client, suite);
            assertThat(client.state().renegotiations()).isEqualTo(1);
            exchangeLines(socket, client, server, "renegotiated");
        }
    }

    @Test
    void ourClientRefusesOpenSslServerWithAnUntrustedCertificate() throws Exception {
        CipherSuite suite = suite(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.name());
        EngineEndpoint client = new EngineEndpoint(clientConfig(suite).build());
        try (OpenSslProcess server = OpenSslProcess.server().identity(TestPki.untrustedServer(), dir).tls12()
                .cipher(openSslName(suite)).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            pump(socket, client, server, "refusal", () -> client.state().isFailed());

            assertFailedWith(client, "unknown_ca");
            assertThat(client.state().failure().step()).isEqualTo(SeedStep.SERVER_AUTHENTICATION);
            assertThat(client.events(HandshakeEvent.PeerCertificateChecked.class)).singleElement()
                    .satisfies(check -> assertThat(check.trusted()).isFalse());
            // OpenSSL's own words for the alert it received (48 = unknown_ca)
            server.expectOutput("SSL alert number 48", WAIT);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The legacy suites

    @Test
    void legacySuitesMissingHereAreMissingFromOpenSslItselfNotFromUs() throws Exception {
        for (Map.Entry<CipherSuiteId, String> legacy : LEGACY_OPENSSL_NAMES.entrySet()) {
            if (OpenSslNames.BY_IANA_NAME.containsKey(legacy.getKey().name())) {
                continue; // this OpenSSL has it: the parameterized tests above ran it
            }
            // Debian's OpenSSL 3.0 is built without enable-weak-ssl-ciphers: libssl has no 3DES or RC4 suite at all.
            // The legacy provider adds the raw DES-EDE3/RC4 algorithms to the EVP layer, not suites to libssl, and
            // @SECLEVEL=0 lowers only the policy, so even with both the suite is unknown. Tls12JdkInteropTest covers
            // these two suites against SunJSSE, which can re-enable them.
            ProcessBuilder ciphers = new ProcessBuilder("openssl", "ciphers", "-provider", "legacy", "-provider",
                    "default", legacy.getValue() + ":@SECLEVEL=0").redirectErrorStream(true);
            Process p = ciphers.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isNotZero();
            assertThat(output).contains("no cipher match");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static CipherSuite suite(String name) {
        return CipherSuites.all().stream().filter(s -> s.id().name().equals(name)).findFirst().orElseThrow();
    }

    private static boolean isLegacyOnly(CipherSuite suite) {
        return LEGACY_OPENSSL_NAMES.containsKey(suite.id());
    }

    private static String openSslName(CipherSuite suite) {
        String name = OpenSslNames.BY_IANA_NAME.get(suite.id().name());
        assertThat(name).as("OpenSSL name of " + suite.id().name()).isNotNull();
        return name;
    }

    /** The -cipher argument: 3DES and RC4 need security level 0 wherever OpenSSL has them at all. */
    private static String cipherString(CipherSuite suite) {
        return isLegacyOnly(suite) ? openSslName(suite) + ":@SECLEVEL=0" : openSslName(suite);
    }

    private static TestPki.Identity serverIdentity(CipherSuite suite) {
        return suite.keyExchange() == KeyExchange.ECDHE_ECDSA ? TestPki.serverEcdsa() : TestPki.serverRsa();
    }

    private static TlsConfig.Builder serverConfig(CipherSuite suite) {
        return TlsConfig.server().profile(Profile.LEGACY).cipherSuites(List.of(suite.id()))
                .identity(EngineEndpoint.identity(serverIdentity(suite)))
                .trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    private static TlsConfig.Builder clientConfig(CipherSuite suite) {
        return TlsConfig.client().profile(Profile.LEGACY).cipherSuites(List.of(suite.id()))
                .serverName(TestPki.HOST).trustAnchors(List.of(TestPki.rootCa().leaf()));
    }

    /** s_client offering just this suite, verifying our server's chain and name against the test root. */
    private OpenSslProcess.ClientBuilder openSslClient(CipherSuite suite, int port) {
        OpenSslProcess.ClientBuilder builder = OpenSslProcess.client(port).tls12().cipher(cipherString(suite))
                .trustTestRoot(dir).verifyServer(TestPki.HOST).serverName(TestPki.HOST);
        return isLegacyOnly(suite) ? builder.provider("legacy").provider("default") : builder;
    }

    /** s_server in interactive mode (stdin is sent, what arrives is printed), one connection, just this suite. */
    private OpenSslProcess.ServerBuilder openSslServer(CipherSuite suite) {
        OpenSslProcess.ServerBuilder builder = OpenSslProcess.server().identity(serverIdentity(suite), dir.resolve("server"))
                .tls12().cipher(cipherString(suite));
        return isLegacyOnly(suite) ? builder.provider("legacy").provider("default") : builder;
    }

    private static ServerSocket listener() throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout((int) WAIT.toMillis());
        return listener;
    }

    /**
     * Moves bytes between the socket and our engine until {@code until} holds; fails with both sides' story if it
     * never does (timeout, or the peer hung up first).
     */
    private static void pump(Socket socket, EngineEndpoint ours, OpenSslProcess peer, String what, BooleanSupplier until)
            throws IOException {
        SocketPump.Result result = SocketPump.run(socket, ours.takeOutput(), in -> {
            ours.receive(in);
            return ours.takeOutput();
        }, until, WAIT);
        assertThat(result.conditionMet())
                .as("%s did not complete; our failure: %s\n%s", what, ours.state().failure(), peer.transcript())
                .isTrue();
    }

    /**
     * One line each way: OpenSSL's stdin line must arrive at our side, and our line must show in OpenSSL's output.
     * The lines are distinct per call, so a later check cannot pass on an earlier exchange's output.
     */
    private static void exchangeLines(Socket socket, EngineEndpoint ours, OpenSslProcess peer, String tag)
            throws IOException {
        String fromPeer = "openssl says " + tag + "\n";
        ours.clearReceived();
        peer.write(fromPeer);
        pump(socket, ours, peer, "line from openssl (" + tag + ")",
                () -> new String(ours.receivedData(), StandardCharsets.US_ASCII).endsWith("\n"));
        assertThat(new String(ours.receivedData(), StandardCharsets.US_ASCII)).isEqualTo(fromPeer);

        String fromUs = "engine says " + tag;
        ours.send((fromUs + "\n").getBytes(StandardCharsets.US_ASCII));
        SocketPump.send(socket, ours.takeOutput());
        peer.expectOutput(fromUs, WAIT);
    }

    private static void assertEstablished(EngineEndpoint endpoint, CipherSuite suite) {
        assertThat(endpoint.state().failure()).as("failure").isNull();
        assertThat(endpoint.state().isEstablished()).isTrue();
        assertThat(endpoint.state().session().cipherSuite()).isEqualTo(suite.id());
        assertThat(endpoint.state().session().extendedMasterSecret()).as("EMS negotiated").isTrue();
        assertThat(endpoint.state().session().secureRenegotiation()).isTrue();
    }

    private static void assertFailedWith(EngineEndpoint endpoint, String alert) {
        assertThat(endpoint.state().isFailed()).as("terminal failure").isTrue();
        assertThat(endpoint.state().failure().alert().name()).isEqualTo(alert);
        assertThat(endpoint.state().failure().sentByUs()).isTrue();
        assertThat(endpoint.events(HandshakeEvent.AlertSent.class)).filteredOn(a -> a.level().equals(AlertLevel.FATAL))
                .singleElement().satisfies(a -> assertThat(a.description().name()).isEqualTo(alert));
    }
}
