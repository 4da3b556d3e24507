package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS 1.3 Certificate message (RFC 8446 §4.4.2): {@code opaque certificate_request_context<0..2^8-1>} (empty
 * in the main handshake, echoing CertificateRequest's context in post-handshake authentication) and
 * {@code CertificateEntry certificate_list<0..2^24-1>}.
 */
public record Certificate13(byte[] requestContext, List<CertificateEntry> entries) implements HandshakeMessage {

    public Certificate13 {
        requestContext = requestContext.clone();
        entries = List.copyOf(entries);
        if (requestContext.length > 0xff) {
            throw new IllegalArgumentException("certificate_request_context<0..2^8-1>");
        }
    }

    public static Certificate13 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        byte[] context = r.vector8(0, "certificate_request_context");
        TlsReader list = r.sub24("certificate_list");
        List<CertificateEntry> entries = new ArrayList<>();
        while (list.hasRemaining()) {
            entries.add(CertificateEntry.decode(list));
        }
        list.finish("certificate_list");
        r.finish("Certificate");
        return new Certificate13(context, entries);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.vector8(requestContext);
        out.block24(w -> entries.forEach(e -> e.encode(w)));
    }

    @Override
    public byte[] requestContext() {
        return requestContext.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("certificate_request_context", Bytes.hex(requestContext));
        fields.put("certificate_list", entries.stream().map(CertificateEntry::describe).toList());
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate13 other && Arrays.equals(requestContext, other.requestContext)
                && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(requestContext) + entries.hashCode();
    }

    @Override
    public String toString() {
        return "Certificate13[context " + Bytes.hex(requestContext) + ", " + entries.size() + " entries]";
    }
}
