package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.LinkedHashMap;
import java.util.Map;

/** The TLS 1.2 HelloRequest (RFC 5246 §7.4.1.1): the server's invitation to renegotiate (seed step 11); its body is empty and it stays out of the transcript. */
public record HelloRequest() implements HandshakeMessage {

    /** The body is empty; any byte in it is a decode_error. */
    public static HelloRequest decode(byte[] body) {
        TlsReader.of(body).finish("HelloRequest");
        return new HelloRequest();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.HELLO_REQUEST;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        // struct { } HelloRequest: nothing to write.
    }

    @Override
    public Map<String, Object> describe() {
        return new LinkedHashMap<>();
    }
}
