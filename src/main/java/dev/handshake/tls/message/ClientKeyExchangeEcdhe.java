package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ECDHE ClientKeyExchange (RFC 8422 §5.7): the client's ephemeral public key, {@code ECPoint point<1..2^8-1>}.
 * Whether the point lies on the negotiated curve is checked by the key agreement, not here.
 */
public record ClientKeyExchangeEcdhe(byte[] publicKey) implements HandshakeMessage {

    public ClientKeyExchangeEcdhe {
        publicKey = publicKey.clone();
        if (publicKey.length < 1 || publicKey.length > 0xff) {
            throw new IllegalArgumentException("ECPoint point<1..2^8-1>");
        }
    }

    public static ClientKeyExchangeEcdhe decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        byte[] point = r.vector8(1, "ECPoint");
        r.finish("ClientKeyExchange");
        return new ClientKeyExchangeEcdhe(point);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_KEY_EXCHANGE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.vector8(publicKey);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ecdh_Yc", Bytes.hex(publicKey));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKeyExchangeEcdhe other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "ClientKeyExchangeEcdhe" + describe();
    }
}
