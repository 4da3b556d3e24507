package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RSA ClientKeyExchange (RFC 5246 §7.4.7.1): the pre-master secret encrypted to the server's RSA key, as
 * {@code opaque<0..2^16-1>} with the length prefix TLS 1.0 and later use (SSL 3.0 sent none). The ciphertext is not
 * secret. Its length is deliberately not checked against the key size here: RFC 5246 §7.4.7.1 has every failure of
 * the decryption, length included, continue with a random pre-master (Bleichenbacher), which is the handshake's job.
 */
public record ClientKeyExchangeRsa(byte[] encryptedPreMasterSecret) implements HandshakeMessage {

    public ClientKeyExchangeRsa {
        encryptedPreMasterSecret = encryptedPreMasterSecret.clone();
        if (encryptedPreMasterSecret.length > 0xffff) {
            throw new IllegalArgumentException("EncryptedPreMasterSecret<0..2^16-1>");
        }
    }

    public static ClientKeyExchangeRsa decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        byte[] encrypted = r.vector16(0, "EncryptedPreMasterSecret");
        r.finish("ClientKeyExchange");
        return new ClientKeyExchangeRsa(encrypted);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_KEY_EXCHANGE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.vector16(encryptedPreMasterSecret);
    }

    @Override
    public byte[] encryptedPreMasterSecret() {
        return encryptedPreMasterSecret.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("encrypted_pre_master_secret", Bytes.hex(encryptedPreMasterSecret));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKeyExchangeRsa other && Arrays.equals(encryptedPreMasterSecret, other.encryptedPreMasterSecret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encryptedPreMasterSecret);
    }

    @Override
    public String toString() {
        return "ClientKeyExchangeRsa" + describe();
    }
}
