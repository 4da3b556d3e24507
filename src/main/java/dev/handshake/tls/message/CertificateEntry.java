package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the TLS 1.3 certificate_list (RFC 8446 §4.4.2): {@code opaque cert_data<1..2^24-1>} (X.509 DER; raw
 * public keys are not negotiated by this engine) and its per-certificate extensions (status_request, SCT).
 */
public record CertificateEntry(byte[] certificate, List<Extension> extensions) {

    public CertificateEntry {
        certificate = certificate.clone();
        extensions = Extensions.checkedCopy(extensions);
        if (certificate.length < 1 || certificate.length > 0xffffff) {
            throw new IllegalArgumentException("cert_data<1..2^24-1>");
        }
    }

    public static CertificateEntry decode(TlsReader r) {
        byte[] certificate = r.vector24(1, "cert_data");
        List<Extension> extensions = Extensions.decodeList(r);
        return new CertificateEntry(certificate, extensions);
    }

    public void encode(TlsWriter w) {
        w.vector24(certificate);
        Extensions.encodeList(w, extensions);
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }

    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cert_data", Bytes.hex(certificate));
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateEntry other && Arrays.equals(certificate, other.certificate)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(certificate) + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "CertificateEntry[" + certificate.length + " bytes, " + extensions + "]";
    }
}
