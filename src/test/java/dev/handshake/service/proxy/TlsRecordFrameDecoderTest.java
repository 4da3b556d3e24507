package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class TlsRecordFrameDecoderTest {

    private static final byte[] RECORD_A = {22, 3, 1, 0, 3, 1, 2, 3};
    private static final byte[] RECORD_B = {23, 3, 3, 0, 2, 9, 9};

    @Test
    void passesEveryCompleteRecordOfAReadAsOneSlice() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT));
        channel.writeInbound(Unpooled.wrappedBuffer(RECORD_A, RECORD_B));
        assertArrayEquals(concat(RECORD_A, RECORD_B), read(channel));
        assertNull(channel.readInbound());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void waitsForTheRestOfARecordSplitAnywhere() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT));
        byte[] both = concat(RECORD_A, RECORD_B);
        channel.writeInbound(Unpooled.wrappedBuffer(both, 0, 3));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(both, 3, 7));
        assertArrayEquals(RECORD_A, read(channel));
        channel.writeInbound(Unpooled.wrappedBuffer(both, 10, both.length - 10));
        assertArrayEquals(RECORD_B, read(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void handsOverTheHeaderOfAnOversizedRecordAndDiscardsTheRest() {
        TlsRecordFrameDecoder decoder = new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        // 2^14 + 2049: one byte over RFC 5246 §6.2.3's bound, announced but never to be buffered
        channel.writeInbound(Unpooled.wrappedBuffer(RECORD_A, new byte[] {23, 3, 3, 0x48, 0x01, 7, 7, 7}));
        assertArrayEquals(concat(RECORD_A, new byte[] {23, 3, 3, 0x48, 0x01}), read(channel));
        assertTrue(decoder.isDiscarding());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        assertNull(channel.readInbound());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void handsOverAnUnknownContentTypeAtOnce() {
        TlsRecordFrameDecoder decoder = new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes()));
        assertArrayEquals("GET /".getBytes(), read(channel));
        assertTrue(decoder.isDiscarding());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void handsOverAnSsl2HelloWithoutWaitingForFiveBytes() {
        TlsRecordFrameDecoder decoder = new TlsRecordFrameDecoder(ProxyProperties.MAX_TLS12_CIPHERTEXT);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x2e}));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x2e}, read(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    private static byte[] read(EmbeddedChannel channel) {
        ByteBuf buffer = channel.readInbound();
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
