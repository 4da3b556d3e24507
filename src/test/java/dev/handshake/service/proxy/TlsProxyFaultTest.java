package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import dev.handshake.testing.OpenSslProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults on either side: each is handled within its timeout, counted, and leaves no open connection (on the proxy or
 * the upstream) and no leaked buffer.
 */
@ExtendWith(NettyLeaks.Check.class)
class TlsProxyFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void upstreamDownEndsTheConnectionWithAnAlertOrACleanClose() throws Exception {
        int closedPort = OpenSslProcess.freePort();
        try (ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream("127.0.0.1:" + closedPort).start()) {
            // The proxy connects upstream while the handshake runs. If the refusal arrives first, the client gets
            // internal_error (TLS 1.2 while handshaking; TLS 1.3, whose client is done after its Finished, on its
            // first read). If the TLS 1.3 handshake completes first, the client gets a clean close. Either way it
            // gets no data, and the failure is counted.
            try (SSLSocket socket = connect(TlsClients.context(null), proxy.port())) {
                int read = socket.getInputStream().read();
                assertEquals(-1, read, "a clean close, never data");
            } catch (SSLException failure) {
                assertTrue(failure.getMessage().contains("internal_error"), failure.toString());
            }
            ProxyTestRig.await("counted and closed", WAIT, () -> proxy.count(Counter.UPSTREAM_FAILURES) == 1
                    && proxy.connections.openCount() == 0);
        }
    }

    @Test
    void slowUpstreamIsCutOffByTheIdleTimeoutWithCloseNotify() throws Exception {
        // reads the request and never answers; returns when the proxy closes the connection
        try (TestUpstream upstream = new TestUpstream(socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
                ProxyTestRig proxy = ProxyTestRig.builder().idleTimeout(Duration.ofMillis(500))
                        .defaultUpstream(upstream.address()).start();
                SSLSocket socket = connect(TlsClients.context(null), proxy.port())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            // close_notify: the JDK reports a clean end of stream, not an exception
            assertEquals(-1, socket.getInputStream().read());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 400 && waited < 3000, "closed after " + waited + " ms");
            ProxyTestRig.await("counted and both sides closed", WAIT, () -> proxy.count(Counter.IDLE_TIMEOUTS) == 1
                    && proxy.connections.openCount() == 0 && upstream.openConnections() == 0);
        }
    }

    @Test
    void clientStallingMidHandshakeIsCutOffByTheHandshakeTimeout() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().handshakeTimeout(Duration.ofMillis(300))
                        .defaultUpstream(upstream.address()).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(5000);
            // a handshake record announcing 200 bytes, of which 10 arrive (slowloris)
            socket.getOutputStream().write(new byte[] {22, 3, 1, 0, (byte) 200, 1, 0, 0, (byte) 196, 3, 3, 0, 0, 0, 0});
            long started = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 200 && waited < 3000, "closed after " + waited + " ms");
            ProxyTestRig.await("counted", WAIT, () -> proxy.count(Counter.HANDSHAKE_TIMEOUTS) == 1
                    && proxy.connections.openCount() == 0);
            assertEquals(0, upstream.accepted.get());
        }
    }

    @Test
    void garbageGetsAFatalAlertAndNoUpstreamConnection() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readAllBytes();
            // one plaintext fatal alert record (RFC 5246 §6.2.1, §7.2): unexpected_message for an unknown record type
            assertEquals(7, answer.length);
            assertEquals(21, answer[0]);
            assertArrayEquals(new byte[] {2, 10}, new byte[] {answer[5], answer[6]});
            ProxyTestRig.await("counted", WAIT, () -> proxy.count(Counter.HANDSHAKE_FAILURES) == 1
                    && proxy.connections.openCount() == 0);
            assertEquals(0, upstream.accepted.get());
        }
    }

    @Test
    void oversizedRecordGetsRecordOverflowWithoutBeingBuffered() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {22, 3, 3, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            byte[] answer = socket.getInputStream().readAllBytes();
            assertEquals(7, answer.length);
            assertArrayEquals(new byte[] {21, 2, 22}, new byte[] {answer[0], answer[5], answer[6]});
        }
    }

    @Test
    void clientResetMidTransferClosesTheUpstream() throws Exception {
        try (TestUpstream upstream = new TestUpstream(socket -> {
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[65536];
                    while (true) {
                        out.write(chunk);
                    }
                });
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start()) {
            Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
            SSLSocket socket = (SSLSocket) TlsClients.context(null).getSocketFactory()
                    .createSocket(tcp, "localhost", proxy.port(), false);
            InputStream in = socket.getInputStream();
            assertEquals(1 << 20, in.readNBytes(1 << 20).length);
            // a vanished client: RST, no close_notify (SSLSocket.close() would send one first)
            tcp.setSoLinger(true, 0);
            tcp.close();
            ProxyTestRig.await("proxy connection closed", WAIT, () -> proxy.connections.openCount() == 0);
            ProxyTestRig.await("upstream connection closed", WAIT, () -> upstream.openConnections() == 0);
            assertEquals(1, proxy.count(Counter.CLIENT_RESETS), proxy.connections.counters().toString());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAtOnce() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().maxConnections(2).defaultUpstream(upstream.address()).start();
                SSLSocket first = connect(TlsClients.context(null), proxy.port());
                SSLSocket second = connect(TlsClients.context(null), proxy.port());
                Socket third = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            third.setSoTimeout(5000);
            long started = System.nanoTime();
            assertEquals(-1, third.getInputStream().read());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000);
            assertEquals(1, proxy.count(Counter.REFUSED_OVER_LIMIT));
            assertEquals(2, proxy.connections.openCount());
            assertEquals("still works", echo(first, "still works"));
        }
    }

    @Test
    void clientTcpHalfCloseReachesTheUpstreamAndItsAnswerStillArrives() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().defaultUpstream(upstream.address()).start();
                Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            SSLSocket socket = (SSLSocket) TlsClients.context(null).getSocketFactory()
                    .createSocket(tcp, "localhost", proxy.port(), false);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // FIN without close_notify: the proxy half-closes the upstream, which answers and half-closes in turn;
            // that becomes our close_notify after the echoed bytes
            tcp.shutdownOutput();
            assertEquals("last words", new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            ProxyTestRig.await("both sides closed", WAIT, () -> proxy.connections.openCount() == 0
                    && upstream.openConnections() == 0);
        }
    }

    @Test
    void shutdownDrainsThenClosesOpenConnectionsWithCloseNotify() throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo())) {
            ProxyTestRig proxy = ProxyTestRig.builder().drainTimeout(Duration.ofMillis(300))
                    .defaultUpstream(upstream.address()).start();
            try (SSLSocket socket = connect(TlsClients.context(null), proxy.port())) {
                assertEquals("before", echo(socket, "before"));
                long started = System.nanoTime();
                proxy.close();
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 250);
                assertEquals(-1, socket.getInputStream().read());
                assertEquals(1, proxy.count(Counter.CLOSED_BY_SHUTDOWN));
                assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close());
                ProxyTestRig.await("upstream closed", WAIT, () -> upstream.openConnections() == 0);
            }
        }
    }

    private static SSLSocket connect(SSLContext context, int port) throws IOException {
        try {
            return TlsClients.connect(context, port, null, null);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String echo(SSLSocket socket, String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readNBytes(message.length()), StandardCharsets.US_ASCII);
    }
}
