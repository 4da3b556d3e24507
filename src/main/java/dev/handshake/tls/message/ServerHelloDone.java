package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.LinkedHashMap;
import java.util.Map;

/** The TLS 1.2 ServerHelloDone (RFC 5246 §7.4.5): the end of the server's first flight; its body is empty. */
public record ServerHelloDone() implements HandshakeMessage {

    /** The body is empty; any byte in it is a decode_error. */
    public static ServerHelloDone decode(byte[] body) {
        TlsReader.of(body).finish("ServerHelloDone");
        return new ServerHelloDone();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_HELLO_DONE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        // struct { } ServerHelloDone: nothing to write.
    }

    @Override
    public Map<String, Object> describe() {
        return new LinkedHashMap<>();
    }
}
