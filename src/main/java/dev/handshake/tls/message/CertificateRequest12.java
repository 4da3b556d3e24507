package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.SignatureScheme;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TLS 1.2 CertificateRequest (RFC 5246 §7.4.4): the certificate types and signature algorithms the server
 * accepts for client authentication, and the distinguished names of the CAs it trusts (DER, kept opaque).
 */
public record CertificateRequest12(byte[] certificateTypes, List<SignatureScheme> signatureAlgorithms,
                                   List<byte[]> certificateAuthorities) implements HandshakeMessage {

    /** ClientCertificateType rsa_sign(1) (RFC 5246 §7.4.4). */
    public static final int RSA_SIGN = 1;
    /** ClientCertificateType ecdsa_sign(64) (RFC 8422 §5.5). */
    public static final int ECDSA_SIGN = 64;

    public CertificateRequest12 {
        certificateTypes = certificateTypes.clone();
        signatureAlgorithms = List.copyOf(signatureAlgorithms);
        certificateAuthorities = Opaque.copyAll(certificateAuthorities);
        if (certificateTypes.length < 1 || certificateTypes.length > 0xff) {
            throw new IllegalArgumentException("certificate_types<1..2^8-1>");
        }
        if (signatureAlgorithms.isEmpty() || signatureAlgorithms.size() > 0x7fff) {
            throw new IllegalArgumentException("supported_signature_algorithms<2..2^16-2>");
        }
        for (byte[] name : certificateAuthorities) {
            if (name.length < 1 || name.length > 0xffff) {
                throw new IllegalArgumentException("DistinguishedName<1..2^16-1>");
            }
        }
    }

    public static CertificateRequest12 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        byte[] certificateTypes = r.vector8(1, "certificate_types");
        List<SignatureScheme> schemes = readSchemes(r.sub16("supported_signature_algorithms"));
        TlsReader names = r.sub16("certificate_authorities");
        List<byte[]> authorities = new ArrayList<>();
        while (names.hasRemaining()) {
            authorities.add(names.vector16(1, "DistinguishedName"));
        }
        names.finish("certificate_authorities");
        r.finish("CertificateRequest");
        return new CertificateRequest12(certificateTypes, schemes, authorities);
    }

    /** SignatureAndHashAlgorithm list&lt;2..2^16-2&gt;: whole two-byte entries, at least one (also used by extensions). */
    static List<SignatureScheme> readSchemes(TlsReader list) {
        if (list.remaining() < 2 || list.remaining() % 2 != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    "signature algorithms length " + list.remaining() + " is not a non-zero even number");
        }
        List<SignatureScheme> schemes = new ArrayList<>(list.remaining() / 2);
        while (list.hasRemaining()) {
            schemes.add(new SignatureScheme(list.u16("signature_scheme")));
        }
        return schemes;
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_REQUEST;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.vector8(certificateTypes);
        out.block16(w -> signatureAlgorithms.forEach(s -> w.u16(s.code())));
        out.block16(w -> certificateAuthorities.forEach(w::vector16));
    }

    @Override
    public byte[] certificateTypes() {
        return certificateTypes.clone();
    }

    @Override
    public List<byte[]> certificateAuthorities() {
        return Opaque.copyAll(certificateAuthorities);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("certificate_types", Bytes.hex(certificateTypes));
        fields.put("supported_signature_algorithms", signatureAlgorithms.stream().map(SignatureScheme::name).toList());
        fields.put("certificate_authorities", Opaque.hexAll(certificateAuthorities));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRequest12 other
                && Arrays.equals(certificateTypes, other.certificateTypes)
                && signatureAlgorithms.equals(other.signatureAlgorithms)
                && Opaque.equal(certificateAuthorities, other.certificateAuthorities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(certificateTypes), signatureAlgorithms, Opaque.hash(certificateAuthorities));
    }

    @Override
    public String toString() {
        return "CertificateRequest12" + describe();
    }
}
