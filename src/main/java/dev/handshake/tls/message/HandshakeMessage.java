package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;
import java.util.Map;

/**
 * One handshake message (RFC 5246 §7.4, RFC 8446 §4): an immutable record that encodes its body and describes its
 * decoded fields for events. Each implementation also has a {@code static decode(byte[] body)} that consumes the
 * body exactly.
 */
public interface HandshakeMessage {

    HandshakeType type();

    void encodeBody(TlsWriter out);

    /** The message with its 4-byte handshake header (type, u24 length), as it enters the transcript. */
    default byte[] encode() {
        TlsWriter out = new TlsWriter();
        out.u8(type().code());
        out.block24(this::encodeBody);
        return out.toByteArray();
    }

    /**
     * The decoded fields in wire order, for events and the API: values are Strings (hex for opaque bytes), Numbers,
     * Booleans, Lists or nested Maps of the same. Never secret material (an encrypted pre-master is not secret).
     */
    Map<String, Object> describe();
}
