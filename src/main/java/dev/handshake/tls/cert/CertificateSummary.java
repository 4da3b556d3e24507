package dev.handshake.tls.cert;

import java.time.Instant;
import java.util.List;

/**
 * What a person (or the walkthrough) needs to know about one certificate, decoded once: names, validity, key and
 * fingerprint. Values only, no certificate object, so it can travel with engine events and state.
 *
 * @param subject            the subject name in RFC 2253 form, e.g. {@code CN=localhost,O=Example}
 * @param issuer             the issuer name in RFC 2253 form
 * @param serialHex          the serial number in lower-case hex (as the certificate states it; no leading zeros)
 * @param notBefore          start of the validity period (RFC 5280 §4.1.2.5)
 * @param notAfter           end of the validity period, inclusive
 * @param publicKeyAlgorithm the JCA key algorithm name: {@code RSA}, {@code EC}, {@code Ed25519}, ...
 * @param keyBits            RSA modulus size, EC field size, 255/448 for EdDSA/XDH keys; 0 where unknown
 * @param subjectAltNames    the subjectAltName entries as {@code DNS:name}, {@code IP:address}, {@code email:...},
 *                           {@code URI:...}, {@code dirName:...}, or {@code type<N>} for entries without text form
 * @param sha256Fingerprint  SHA-256 of the DER encoding, lower-case hex without separators
 */
public record CertificateSummary(
        String subject,
        String issuer,
        String serialHex,
        Instant notBefore,
        Instant notAfter,
        String publicKeyAlgorithm,
        int keyBits,
        List<String> subjectAltNames,
        String sha256Fingerprint) {

    public CertificateSummary {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** The fields in a fixed order, as engine events carry them. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("subject", subject);
        fields.put("issuer", issuer);
        fields.put("serial", serialHex);
        fields.put("notBefore", notBefore.toString());
        fields.put("notAfter", notAfter.toString());
        fields.put("publicKey", publicKeyAlgorithm + (keyBits > 0 ? " " + keyBits : ""));
        fields.put("subjectAltNames", subjectAltNames);
        fields.put("sha256", sha256Fingerprint);
        return fields;
    }
}
