package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.Objects;

/**
 * One whole handshake message before its body is decoded (RFC 5246 §7.4, RFC 8446 §4): {@code HandshakeType
 * msg_type; uint24 length; body}. The record layer reassembles frames across records; this only splits one.
 */
public record HandshakeFrame(HandshakeType type, byte[] body) {

    public static final int HEADER_LENGTH = 4;

    public HandshakeFrame {
        Objects.requireNonNull(type, "type");
        body = body.clone();
        if (type.code() < 0 || type.code() > 0xff || body.length > 0xffffff) {
            throw new IllegalArgumentException("msg_type is one byte and length a uint24");
        }
    }

    /** Splits exactly one message: the header's length must match the bytes that follow it, else decode_error. */
    public static HandshakeFrame parse(byte[] whole) {
        TlsReader r = TlsReader.of(whole);
        HandshakeType type = new HandshakeType(r.u8("msg_type"));
        byte[] body = r.vector24(0, "handshake body");
        r.finish("handshake message");
        return new HandshakeFrame(type, body);
    }

    public static HandshakeFrame of(HandshakeMessage message) {
        TlsWriter w = new TlsWriter();
        message.encodeBody(w);
        return new HandshakeFrame(message.type(), w.toByteArray());
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(HEADER_LENGTH + body.length);
        w.u8(type.code());
        w.vector24(body);
        return w.toByteArray();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeFrame other && type.equals(other.type) && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HandshakeFrame[" + type.name() + ", " + Bytes.hex(body) + "]";
    }
}
