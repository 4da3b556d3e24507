package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS 1.3 CertificateRequest (RFC 8446 §4.3.2): {@code opaque certificate_request_context<0..2^8-1>} and
 * {@code Extension extensions<2..2^16-1>}, so at least one extension. That signature_algorithms is among them
 * (missing_extension otherwise) is checked by the handshake, which knows the context.
 */
public record CertificateRequest13(byte[] requestContext, List<Extension> extensions) implements HandshakeMessage {

    public CertificateRequest13 {
        requestContext = requestContext.clone();
        extensions = Extensions.checkedCopy(extensions);
        if (requestContext.length > 0xff) {
            throw new IllegalArgumentException("certificate_request_context<0..2^8-1>");
        }
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("extensions<2..2^16-1> needs at least one extension");
        }
    }

    public static CertificateRequest13 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        byte[] context = r.vector8(0, "certificate_request_context");
        List<Extension> extensions = Extensions.decodeList(r);
        if (extensions.isEmpty()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "CertificateRequest extensions<2..2^16-1> is empty");
        }
        r.finish("CertificateRequest");
        return new CertificateRequest13(context, extensions);
    }

    public Optional<Extension> extension(ExtensionType type) {
        return Extensions.find(extensions, type);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_REQUEST;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.vector8(requestContext);
        Extensions.encodeList(out, extensions);
    }

    @Override
    public byte[] requestContext() {
        return requestContext.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("certificate_request_context", Bytes.hex(requestContext));
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRequest13 other && Arrays.equals(requestContext, other.requestContext)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(requestContext) + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "CertificateRequest13" + describe();
    }
}
