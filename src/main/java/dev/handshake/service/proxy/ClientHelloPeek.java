package dev.handshake.service.proxy;

import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import io.netty.buffer.ByteBuf;

/**
 * Reads the server name out of the first ClientHello before any engine sees it, because the route (and so the
 * certificate and engine configuration) depends on it. The bytes are not consumed: the chosen engine gets them all.
 *
 * <p>Anything that is not a well-formed ClientHello is {@link Outcome#NOT_CLIENT_HELLO}: the proxy then lets an
 * engine process the same bytes so that the peer gets the alert the engine's decoders define, from one place.
 */
final class ClientHelloPeek {

    enum Outcome { NEED_MORE, FOUND, NOT_CLIENT_HELLO }

    /** FOUND carries the server name, null when the ClientHello has no server_name extension. */
    record Result(Outcome outcome, String serverName) {
        static final Result NEED_MORE = new Result(Outcome.NEED_MORE, null);
        static final Result NOT_CLIENT_HELLO = new Result(Outcome.NOT_CLIENT_HELLO, null);
    }

    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_HEADER = 4;

    private ClientHelloPeek() {
    }

    /**
     * @param records         whole TLS records as received (readable bytes are not consumed)
     * @param maxHelloLength  the largest ClientHello body we wait for (the engine's handshake message bound)
     */
    static Result peek(ByteBuf records, int maxHelloLength) {
        int at = records.readerIndex();
        int end = records.writerIndex();
        byte[] handshake = null;
        int have = 0;
        int needed = -1;
        while (at + RECORD_HEADER <= end) {
            int type = records.getUnsignedByte(at);
            int length = records.getUnsignedShort(at + 3);
            if (type != ContentType.HANDSHAKE.code()) {
                return Result.NOT_CLIENT_HELLO;
            }
            if (at + RECORD_HEADER + length > end) {
                return Result.NEED_MORE;
            }
            int from = at + RECORD_HEADER;
            if (handshake == null) {
                if (length < HANDSHAKE_HEADER) {
                    // a handshake header split across records is legal but never seen; the engine handles it
                    return Result.NOT_CLIENT_HELLO;
                }
                if (records.getUnsignedByte(from) != HandshakeType.CLIENT_HELLO.code()) {
                    return Result.NOT_CLIENT_HELLO;
                }
                int bodyLength = records.getUnsignedMedium(from + 1);
                if (bodyLength > maxHelloLength) {
                    return Result.NOT_CLIENT_HELLO;
                }
                needed = bodyLength;
                handshake = new byte[bodyLength];
                int take = Math.min(bodyLength, length - HANDSHAKE_HEADER);
                records.getBytes(from + HANDSHAKE_HEADER, handshake, 0, take);
                have = take;
            } else {
                int take = Math.min(needed - have, length);
                records.getBytes(from, handshake, have, take);
                have += take;
            }
            if (have == needed) {
                return decode(handshake);
            }
            at = from + length;
        }
        return Result.NEED_MORE;
    }

    private static Result decode(byte[] body) {
        try {
            ClientHello hello = ClientHello.decode(body);
            String name = hello.extension(ExtensionType.SERVER_NAME)
                    .map(e -> ServerNameExtension.decode(e.data()).hostNames().get(0))
                    .orElse(null);
            return new Result(Outcome.FOUND, name);
        } catch (RuntimeException e) {
            // TlsAlertException or IllegalArgumentException from the decoders: the engine will say which alert
            return Result.NOT_CLIENT_HELLO;
        }
    }
}
