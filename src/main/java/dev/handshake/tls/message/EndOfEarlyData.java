package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.LinkedHashMap;
import java.util.Map;

/** The TLS 1.3 EndOfEarlyData (RFC 8446 §4.5): the client's end of 0-RTT data, encrypted under the handshake key; its body is empty. */
public record EndOfEarlyData() implements HandshakeMessage {

    /** The body is empty; any byte in it is a decode_error. */
    public static EndOfEarlyData decode(byte[] body) {
        TlsReader.of(body).finish("EndOfEarlyData");
        return new EndOfEarlyData();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.END_OF_EARLY_DATA;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        // struct { } EndOfEarlyData: nothing to write.
    }

    @Override
    public Map<String, Object> describe() {
        return new LinkedHashMap<>();
    }
}
