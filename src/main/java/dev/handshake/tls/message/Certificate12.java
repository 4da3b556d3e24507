package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS 1.2 Certificate message (RFC 5246 §7.4.2): {@code ASN.1Cert certificate_list<0..2^24-1>} with each
 * {@code opaque ASN.1Cert<1..2^24-1>}, sender's certificate first. An empty list is a client with no certificate
 * (§7.4.6). The DER is kept opaque here; parsing it is the certificate checker's job.
 */
public record Certificate12(List<byte[]> certificateChain) implements HandshakeMessage {

    public Certificate12 {
        certificateChain = Opaque.copyAll(certificateChain);
        for (byte[] certificate : certificateChain) {
            if (certificate.length < 1) {
                throw new IllegalArgumentException("ASN.1Cert<1..2^24-1> cannot be empty");
            }
        }
    }

    public static Certificate12 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        TlsReader list = r.sub24("certificate_list");
        List<byte[]> chain = new ArrayList<>();
        while (list.hasRemaining()) {
            chain.add(list.vector24(1, "ASN.1Cert"));
        }
        list.finish("certificate_list");
        r.finish("Certificate");
        return new Certificate12(chain);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.block24(w -> certificateChain.forEach(w::vector24));
    }

    @Override
    public List<byte[]> certificateChain() {
        return Opaque.copyAll(certificateChain);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("certificate_list", Opaque.hexAll(certificateChain));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate12 other && Opaque.equal(certificateChain, other.certificateChain);
    }

    @Override
    public int hashCode() {
        return Opaque.hash(certificateChain);
    }

    @Override
    public String toString() {
        return "Certificate12[" + certificateChain.size() + " certificates]";
    }
}
