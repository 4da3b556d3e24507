package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.SignatureScheme;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CertificateVerify: a signature over the transcript with the certificate's key. The wire form is the same in TLS 1.2
 * (RFC 5246 §7.4.8, a digitally-signed struct) and TLS 1.3 (RFC 8446 §4.4.3): u16 scheme, {@code opaque
 * signature<0..2^16-1>}. What is signed differs by version and is the handshake's business.
 */
public record CertificateVerify(SignatureScheme scheme, byte[] signature) implements HandshakeMessage {

    public CertificateVerify {
        Objects.requireNonNull(scheme, "scheme");
        signature = signature.clone();
        if (signature.length > 0xffff) {
            throw new IllegalArgumentException("signature<0..2^16-1>");
        }
    }

    public static CertificateVerify decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        SignatureScheme scheme = new SignatureScheme(r.u16("algorithm"));
        byte[] signature = r.vector16(0, "signature");
        r.finish("CertificateVerify");
        return new CertificateVerify(scheme, signature);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_VERIFY;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u16(scheme.code());
        out.vector16(signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("algorithm", scheme.name());
        fields.put("signature", Bytes.hex(signature));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateVerify other && scheme.equals(other.scheme) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "CertificateVerify" + describe();
    }
}
