package dev.handshake.service.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the client's byte stream into whole TLS records by peeking at each 5-byte header (RFC 5246 §6.2.1), and passes
 * on every complete record the cumulation holds as one slice, so the engine is called once per read rather than once
 * per record.
 *
 * <p>The bound: a record longer than {@code maxRecordSize} is never waited for (a peer announcing 64 KiB could make us
 * buffer it). Its header, and everything before it, is passed on so that the engine answers with its
 * {@code record_overflow} alert, and the rest of the stream is discarded. A header the engine rejects for another
 * reason (unknown content type, SSL 2.0 framing) reaches it the same way, 5 bytes at most, and the engine's alert
 * ends the connection.
 */
final class TlsRecordFrameDecoder extends ByteToMessageDecoder {

    static final int HEADER = 5;

    private final int maxRecordSize;
    private boolean discarding;

    TlsRecordFrameDecoder(int maxRecordSize) {
        this.maxRecordSize = maxRecordSize;
    }

    /** True once a header was refused: the rest of the stream is dropped and the connection is ending. */
    boolean isDiscarding() {
        return discarding;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int at = start;
        int end = in.writerIndex();
        while (end - at >= HEADER) {
            int type = in.getUnsignedByte(at);
            int major = in.getUnsignedByte(at + 1);
            int length = in.getUnsignedShort(at + 3);
            if (type < 20 || type > 23 || major != 3 || length > maxRecordSize) {
                // not a record we will ever accept: hand over what precedes it and its header, then stop reading
                out.add(in.readRetainedSlice(at - start + HEADER));
                discarding = true;
                in.skipBytes(in.readableBytes());
                return;
            }
            if (end - at < HEADER + length) {
                break;
            }
            at += HEADER + length;
        }
        if (at > start) {
            out.add(in.readRetainedSlice(at - start));
        } else if (end - at >= 1 && (in.getUnsignedByte(at) & 0x80) != 0) {
            // SSL 2.0 framing (RFC 6176): its header is 2 bytes, so do not wait for 5 before letting the engine refuse it
            out.add(in.readRetainedSlice(end - at));
            discarding = true;
        }
    }
}
