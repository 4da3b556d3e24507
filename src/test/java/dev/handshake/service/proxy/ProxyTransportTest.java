package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The listener on each socket transport this machine supports (io_uring, epoll, NIO): kept-alive exchanges, a download
 * larger than any buffer (backpressure), the client's TCP half-close, the idle timeout's close_notify; and the number
 * of event loops. The rest of the proxy tests run on the transport {@code AUTO} picks.
 */
@ExtendWith(NettyLeaks.Check.class)
class ProxyTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProxyTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void keptAliveExchangesThenHalfCloseEndWithCloseNotify(ProxyTransport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is available on this machine");
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().transport(transport).defaultUpstream(upstream.address()).start();
                Socket tcp = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            assertEquals(transport.displayName(), proxy.server.transport());
            SSLSocket socket = (SSLSocket) TlsClients.context(null).getSocketFactory()
                    .createSocket(tcp, "localhost", proxy.port(), false);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 200; i++) {
                byte[] request = ("request " + i).getBytes(StandardCharsets.US_ASCII);
                out.write(request);
                out.flush();
                assertArrayEquals(request, in.readNBytes(request.length));
            }
            // FIN without close_notify: the upstream sees EOF and half-closes, which becomes our close_notify
            tcp.shutdownOutput();
            assertEquals(-1, in.read());
            ProxyTestRig.await("both sides closed", WAIT, () -> proxy.connections.openCount() == 0
                    && upstream.openConnections() == 0);
            assertEquals(1, upstream.accepted.get());
        }
    }

    @ParameterizedTest(name = "{0} event loops")
    @ValueSource(ints = {1, 3})
    void concurrentKeptAliveConnectionsShareTheConfiguredEventLoops(int eventLoops) throws Exception {
        try (TestUpstream upstream = new TestUpstream(TestUpstream.echo());
                ProxyTestRig proxy = ProxyTestRig.builder().eventLoops(eventLoops).defaultUpstream(upstream.address())
                        .start()) {
            assertEquals(eventLoops, proxy.server.eventLoops());
            // more connections than loops, all open at once, their exchanges interleaved on the loops
            List<SSLSocket> sockets = new ArrayList<>();
            try {
                for (int c = 0; c < 8; c++) {
                    SSLSocket socket = (SSLSocket) TlsClients.context(null).getSocketFactory()
                            .createSocket(InetAddress.getLoopbackAddress(), proxy.port());
                    socket.setSoTimeout(10_000);
                    sockets.add(socket);
                }
                for (int i = 0; i < 20; i++) {
                    for (int c = 0; c < sockets.size(); c++) {
                        byte[] request = ("connection " + c + " request " + i).getBytes(StandardCharsets.US_ASCII);
                        sockets.get(c).getOutputStream().write(request);
                        assertArrayEquals(request, sockets.get(c).getInputStream().readNBytes(request.length));
                    }
                }
            } finally {
                for (SSLSocket socket : sockets) {
                    socket.close();
                }
            }
            assertEquals(8, upstream.accepted.get());
            ProxyTestRig.await("all closed", WAIT, () -> proxy.connections.openCount() == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProxyTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void downloadOf64MiBArrivesIntactThroughASlowReader(ProxyTransport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is available on this machine");
        int size = 64 << 20;
        try (TestUpstream source = new TestUpstream(socket -> {
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[65536];
                    Random random = new Random(7);
                    for (int at = 0; at < size; at += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                });
                ProxyTestRig proxy = ProxyTestRig.builder().transport(transport).defaultUpstream(source.address())
                        .start();
                SSLSocket socket = TlsClients.connect(TlsClients.context(null), proxy.port(), null, null)) {
            InputStream in = socket.getInputStream();
            // pause early on so the upstream's writes fill every buffer on the way: only backpressure keeps the
            // proxy from holding the whole download
            Thread.sleep(300);
            byte[] expected = new byte[65536];
            byte[] got = new byte[65536];
            Random random = new Random(7);
            for (int at = 0; at < size; at += expected.length) {
                random.nextBytes(expected);
                assertEquals(expected.length, in.readNBytes(got, 0, got.length));
                assertArrayEquals(expected, got, "bytes from offset " + at);
            }
            assertEquals(-1, in.read());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProxyTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void idleConnectionIsClosedWithCloseNotify(ProxyTransport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is available on this machine");
        CompletableFuture<Void> upstreamSawEnd = new CompletableFuture<>();
        try (TestUpstream upstream = new TestUpstream(socket -> {
                    socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                    upstreamSawEnd.complete(null);
                });
                ProxyTestRig proxy = ProxyTestRig.builder().transport(transport).idleTimeout(Duration.ofMillis(400))
                        .defaultUpstream(upstream.address()).start();
                SSLSocket socket = TlsClients.connect(TlsClients.context(null), proxy.port(), null, null)) {
            long started = System.nanoTime();
            // close_notify: the JDK reports a clean end of stream, not an exception
            assertEquals(-1, socket.getInputStream().read());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 300 && waited < 3000, "closed after " + waited + " ms");
            upstreamSawEnd.get(10, TimeUnit.SECONDS);
            ProxyTestRig.await("counted and closed", WAIT, () -> proxy.count(Counter.IDLE_TIMEOUTS) == 1
                    && proxy.connections.openCount() == 0);
        }
    }

    @Test
    void autoTakesTheFirstAvailableTransportInItsOrder() {
        ProxyTransport expected = ProxyTransport.AUTO_ORDER.stream().filter(ProxyTransport::isAvailable).findFirst()
                .orElseThrow();
        assertEquals(expected, ProxyTransport.AUTO.resolve());
        assertTrue(ProxyTransport.NIO.isAvailable(), "NIO is the fallback that is always there");
    }
}
