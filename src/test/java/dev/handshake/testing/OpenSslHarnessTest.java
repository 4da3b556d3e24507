package dev.handshake.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the OpenSSL process harness and the socket pump with reference implementations on both ends, so that when
 * an interop test of our engine fails, the harness is not the suspect.
 */
class OpenSslHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() {
        assumeTrue(OpenSslProcess.available(), "openssl is not on the PATH (.ci/run installs it)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void jdkSslSocketExchangesDataWithOpenSslServer(String version) throws Exception {
        OpenSslProcess.ServerBuilder builder = OpenSslProcess.server().identity(TestPki.serverRsa(), dir);
        try (OpenSslProcess server = (version.equals("TLSv1.2") ? builder.tls12() : builder.tls13()).start();
                SSLSocket socket = (SSLSocket) jdkContext(null).getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.setEnabledProtocols(new String[] {version});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo(version);

            socket.getOutputStream().write("hello from jdk\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            server.expectOutput("hello from jdk", WAIT);
            server.write("hello from openssl\n");
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(reader.readLine()).isEqualTo("hello from openssl");
        }
    }

    @Test
    void openSslClientExchangesDataWithJdkServerSocketThatRequiresItsCertificate() throws Exception {
        SSLContext context = jdkContext(TestPki.serverEcdsa());
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout((int) WAIT.toMillis());
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout((int) WAIT.toMillis());
                    BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    String line = reader.readLine();
                    OutputStream out = socket.getOutputStream();
                    out.write(("hello from jdk, " + socket.getSession().getPeerPrincipal().getName() + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    reader.readLine(); // wait for the client to go away, so the reply is not cut off by a reset
                    return line;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (OpenSslProcess client = OpenSslProcess.client(listener.getLocalPort())
                    .identity(TestPki.clientRsa(), dir.resolve("client")).trustTestRoot(dir)
                    .verifyServer("localhost").serverName("localhost").start()) {
                client.expectOutput("Verify return code: 0 (ok)", WAIT);
                client.write("hello from openssl\n");
                client.expectOutput("hello from jdk, CN=client", WAIT);
                client.close();
                assertThat(received.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello from openssl");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void sansIoPeerOverTheSocketPumpHandshakesWithOpenSslServerThatRequiresAClientCertificate(String version)
            throws Exception {
        OpenSslProcess.ServerBuilder builder = OpenSslProcess.server().identity(TestPki.serverEcdsa(), dir)
                .trustTestRoot(dir).requireClientCertificate();
        JdkTlsPeer peer = JdkTlsPeer.client().protocols(version).identity(TestPki.clientEcdsa()).trustTestRoot().build();
        try (OpenSslProcess server = (version.equals("TLSv1.2") ? builder.tls12() : builder.tls13()).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            SocketPump.Result handshake = SocketPump.run(socket, peer.produce(), peer::receive, peer::handshakeDone, WAIT);

            assertThat(handshake.conditionMet()).as(server.transcript()).isTrue();
            assertThat(peer.session().getProtocol()).isEqualTo(version);
            assertThat(peer.session().getPeerCertificates()[0]).isEqualTo(TestPki.serverEcdsa().leaf());

            peer.send("ping from the pump\n".getBytes(StandardCharsets.US_ASCII));
            SocketPump.send(socket, peer.produce());
            server.expectOutput("ping from the pump", WAIT);
            assertThat(server.output()).contains("CN = client-ecdsa");

            server.write("pong from openssl\n");
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            SocketPump.run(socket, new byte[0], in -> {
                byte[] out = peer.receive(in);
                received.writeBytes(peer.receivedAppData());
                return out;
            }, () -> received.toString(StandardCharsets.US_ASCII).contains("\n"), WAIT);
            assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("pong from openssl\n");
        }
    }

    @Test
    void openSslClientOverTheSocketPumpHandshakesWithSansIoPeerServer() throws Exception {
        JdkTlsPeer peer = JdkTlsPeer.server().protocols("TLSv1.2").identity(TestPki.serverRsa())
                .cipherSuites("TLS_RSA_WITH_AES_128_CBC_SHA").build();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                OpenSslProcess client = OpenSslProcess.client(listener.getLocalPort()).tls12().cipher("AES128-SHA")
                        .trustTestRoot(dir).verifyServer("localhost").start()) {
            listener.setSoTimeout((int) WAIT.toMillis());
            try (Socket socket = listener.accept()) {
                SocketPump.Result handshake = SocketPump.run(socket, new byte[0], peer::receive, peer::handshakeDone, WAIT);

                assertThat(handshake.conditionMet()).as(client.transcript()).isTrue();
                client.expectOutput("Verify return code: 0 (ok)", WAIT);
                assertThat(client.output()).contains("Cipher is AES128-SHA");
                assertThat(peer.session().getCipherSuite()).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
            }
        }
    }

    @Test
    void openSslServerThatRequiresAClientCertificateRejectsAPeerWithout() throws Exception {
        JdkTlsPeer peer = JdkTlsPeer.client().protocols("TLSv1.2").trustTestRoot().build();
        try (OpenSslProcess server = OpenSslProcess.server().identity(TestPki.serverRsa(), dir).trustTestRoot(dir)
                .requireClientCertificate().tls12().start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            SocketPump.Result result = SocketPump.run(socket, peer.produce(), peer::receive, () -> peer.failure() != null, WAIT);

            assertThat(result.conditionMet()).isTrue();
            assertThat(peer.handshakeDone()).isFalse();
            server.expectOutput("peer did not return a certificate", WAIT);
        }
    }

    @Test
    void threeDesWithOpenSslOnlyWhereItsBuildHasWeakCiphers() throws Exception {
        // This machine's OpenSSL 3.0 has no DES-CBC3-SHA (see OpenSslProcess); where a build has it, prove it works.
        assumeTrue(OpenSslProcess.supportsCipher("DES-CBC3-SHA:@SECLEVEL=0"), "this OpenSSL has no 3DES suites");
        JdkTlsPeer peer = JdkTlsPeer.client().protocols("TLSv1.2").cipherSuites("SSL_RSA_WITH_3DES_EDE_CBC_SHA")
                .trustTestRoot().build();
        try (OpenSslProcess server = OpenSslProcess.server().identity(TestPki.serverRsa(), dir).tls12()
                .cipher("DES-CBC3-SHA:@SECLEVEL=0").start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            SocketPump.run(socket, peer.produce(), peer::receive, peer::handshakeDone, WAIT);
            assertThat(peer.session().getCipherSuite()).isEqualTo("SSL_RSA_WITH_3DES_EDE_CBC_SHA");
        }
    }

    @Test
    void closingAServerEndsItsProcess() {
        OpenSslProcess server = OpenSslProcess.server().identity(TestPki.serverRsa(), dir).start();
        assertThat(server.isAlive()).isTrue();
        server.close();
        assertThat(server.isAlive()).isFalse();
    }

    private static SSLContext jdkContext(TestPki.Identity identity) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(identity == null ? null : TestPki.keyManagers(identity).getKeyManagers(),
                TestPki.trustManagers().getTrustManagers(), null);
        return context;
    }
}
