package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.handshake.service.proxy.ProxyConnections.Counter;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.wire.AlertDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The termination handler on an EmbeddedChannel: routing decisions and alerts that need no upstream. */
class TlsTerminationHandlerTest {

    private final ProxyConnections connections = new ProxyConnections(Clock.systemUTC());

    @AfterEach
    void noConnectionLeft() {
        assertEquals(0, connections.openCount());
    }

    @Test
    void unmatchedServerNameWithoutDefaultGetsUnrecognizedName() {
        ProxyRoutes routes = new ProxyRoutes(List.of(ProxyTestRig.resolve(ProxyTestRig.route("a", List.of("a.test"),
                "127.0.0.1:1", ClientAuth.NONE, List.of(), false))), null);
        EmbeddedChannel channel = channel(routes);
        channel.writeInbound(Unpooled.wrappedBuffer(clientHello("b.test")));
        assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, (byte) AlertDescription.UNRECOGNIZED_NAME.code()},
                readOutbound(channel));
        channel.runPendingTasks();
        assertEquals(1, connections.get(Counter.UNRECOGNIZED_NAMES));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void clientHelloSplitOverRecordsIsReassembledBeforeRouting() {
        ProxyRoutes routes = new ProxyRoutes(List.of(ProxyTestRig.resolve(ProxyTestRig.route("a", List.of("a.test"),
                "127.0.0.1:1", ClientAuth.NONE, List.of(), false))), null);
        EmbeddedChannel channel = channel(routes);
        byte[] hello = clientHello("nope.test");
        // re-frame the one handshake message into records of 50 bytes
        byte[] message = java.util.Arrays.copyOfRange(hello, 5, hello.length);
        for (int at = 0; at < message.length; at += 50) {
            int length = Math.min(50, message.length - at);
            ByteBuf record = Unpooled.buffer().writeBytes(new byte[] {22, 3, 1, 0, (byte) length})
                    .writeBytes(message, at, length);
            channel.writeInbound(record);
        }
        assertEquals(AlertDescription.UNRECOGNIZED_NAME.code(), readOutbound(channel)[6]);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void garbageIsAnsweredByTheFallbackEnginesAlert() {
        ProxyRoutes routes = new ProxyRoutes(List.of(), ProxyTestRig.resolve(ProxyTestRig.route("d", List.of(),
                "127.0.0.1:1", ClientAuth.NONE, List.of(), false)));
        EmbeddedChannel channel = channel(routes);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 3, 0, 5, 1, 0, 0, 1, 0}));
        byte[] alert = readOutbound(channel);
        assertEquals(21, alert[0]);
        assertEquals(2, alert[5]);
        assertEquals(AlertDescription.DECODE_ERROR.code(), alert[6]);
        assertEquals(1, connections.get(Counter.HANDSHAKE_FAILURES));
        assertNull(channel.readOutbound());
        assertFalse(channel.finishAndReleaseAll());
    }

    private EmbeddedChannel channel(ProxyRoutes routes) {
        ProxyConnection info = connections.open("test", 10);
        TlsRecordFrameDecoder decoder = new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT);
        return new EmbeddedChannel(decoder, new TlsTerminationHandler(routes, ProxyProperties.defaults(), connections,
                info, decoder, NioSocketChannel.class));
    }

    /** A real ClientHello record from our engine in the client role, with SNI. */
    private static byte[] clientHello(String serverName) {
        Step start = new TlsEngine(TlsConfig.client().serverName(serverName).build(), ProxyTestRig.CRYPTO).start();
        return start.outbound();
    }

    private static byte[] readOutbound(EmbeddedChannel channel) {
        ByteBuf buffer = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }
}
