package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finished (RFC 5246 §7.4.9, RFC 8446 §4.4.4): the body is verify_data itself, with no length prefix. Its length
 * depends on the negotiated version and hash (12 bytes in TLS 1.2, Hash.length in TLS 1.3), so the handshake checks
 * it, and compares it only in constant time. Not secret once sent, but compared as if it were.
 */
public record Finished(byte[] verifyData) implements HandshakeMessage {

    public Finished {
        verifyData = verifyData.clone();
    }

    /** Takes the whole body as verify_data; the caller checks the length it expects. */
    public static Finished decode(byte[] body) {
        return new Finished(body);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.FINISHED;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.bytes(verifyData);
    }

    @Override
    public byte[] verifyData() {
        return verifyData.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("verify_data", Bytes.hex(verifyData));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Finished other && Bytes.constantTimeEquals(verifyData, other.verifyData);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(verifyData);
    }

    @Override
    public String toString() {
        return "Finished[" + verifyData.length + " bytes]";
    }
}
