package dev.handshake.tls.cert;

import dev.handshake.tls.cert.CertificateCheck.Problem;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.XECKey;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Validates a peer's certificate chain as received in a TLS Certificate message (RFC 5246 §7.4.2, RFC 8446 §4.4.2):
 * DER certificates, the peer's own first. Checks run in this order, and the first failure is the answer:
 * <ol>
 * <li><b>EMPTY_CHAIN</b>: no certificate.</li>
 * <li><b>BAD_ENCODING</b>: every certificate must decode as exactly one DER X.509 certificate (re-encoding gives the
 *     same bytes: no trailing data, no PEM, no BER), including the leaf's subjectAltName and extendedKeyUsage
 *     extensions. Decoding never throws: any failure of the decoder is this result.</li>
 * <li><b>Path</b>: starting at the leaf, each next certificate is the one whose subject is the previous one's issuer,
 *     until a certificate issued by a trust anchor (RFC 8446 §4.4.2 lets the other certificates come in any order
 *     and include extras; extras are ignored). A path longer than {@value #MAX_PATH_LENGTH} certificates, or a
 *     message with more than {@value #MAX_CHAIN_LENGTH} certificates (counted after decoding the leaf, before the
 *     others), is UNTRUSTED: the limits bound the decoding and signature checks a peer can make us do.</li>
 * <li><b>EXPIRED / NOT_YET_VALID</b>: every certificate on the path is checked against {@code now} first, so the
 *     answer does not depend on the order in which a JCA provider's PKIX implementation happens to check things.</li>
 * <li><b>UNTRUSTED</b>: PKIX path validation (RFC 5280 §6) by the provider's {@code CertPathValidator}, at
 *     {@code now}, revocation off: signatures, issuer names, CA basic constraints and key usage, path length, name
 *     constraints, critical extensions.</li>
 * <li><b>BAD_KEY_USAGE</b>: the leaf's extendedKeyUsage, when present, must include serverAuth (for a server) or
 *     clientAuth (for a client), or anyExtendedKeyUsage (RFC 5280 §4.2.1.12); its keyUsage, when present, must allow
 *     digitalSignature (or, for a server, keyEncipherment, for RSA key transport: RFC 5246 §7.4.2). PKIX leaves the
 *     end-entity's usages to the application, which is us.</li>
 * <li><b>NAME_MISMATCH</b> (servers only, unless the expected name is null): {@link ServiceIdentity}, RFC 6125.</li>
 * </ol>
 * Validity comes before trust on purpose: an expired certificate from an unknown issuer reports EXPIRED. Neither is
 * accepted, and the date is the more actionable message.
 */
public final class CertificateValidation {

    /** The longest path we validate, leaf and intermediates (the anchor is not counted). */
    public static final int MAX_PATH_LENGTH = 10;

    /** The most certificates we decode from one Certificate message, extras included. */
    public static final int MAX_CHAIN_LENGTH = 16;

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    // RFC 5280 §4.1.2.6 keyUsage bit positions
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;

    private enum Role { SERVER, CLIENT }

    private CertificateValidation() {
    }

    /**
     * Validates a server's chain, as a client does in step 3 of the handshake.
     *
     * @param expectedHostName the host name or IP literal the client connected to; null skips the name check (for
     *                         a walkthrough that only shows the chain, never for a real connection)
     */
    public static CertificateCheck validateServer(CryptoProvider crypto, List<byte[]> derChain, Set<TrustAnchor> anchors,
            String expectedHostName, Instant now) {
        return validate(crypto, derChain, anchors, now, Role.SERVER, expectedHostName);
    }

    /** Validates a client's chain, as a server does in step 6 of the handshake. */
    public static CertificateCheck validateClient(CryptoProvider crypto, List<byte[]> derChain, Set<TrustAnchor> anchors,
            Instant now) {
        return validate(crypto, derChain, anchors, now, Role.CLIENT, null);
    }

    private static CertificateCheck validate(CryptoProvider crypto, List<byte[]> derChain, Set<TrustAnchor> anchors,
            Instant now, Role role, String expectedHostName) {
        if (derChain == null || derChain.isEmpty()) {
            return CertificateCheck.failed(Problem.EMPTY_CHAIN, "the peer sent no certificate", null);
        }
        CertificateFactory factory = crypto.certificateFactory();
        X509Certificate leafCertificate = decode(factory, derChain.get(0));
        if (leafCertificate == null) {
            return CertificateCheck.failed(Problem.BAD_ENCODING, "certificate 0 is not a DER X.509 certificate", null);
        }
        Leaf leaf = Leaf.of(crypto, leafCertificate, derChain.get(0));
        if (leaf == null) {
            return CertificateCheck.failed(Problem.BAD_ENCODING,
                    "the leaf certificate has a malformed subjectAltName, extendedKeyUsage or name", null);
        }
        CertificateSummary summary = leaf.summary;
        if (derChain.size() > MAX_CHAIN_LENGTH) {
            // Checked before decoding the rest: a 16 MB Certificate message could otherwise hold thousands.
            return CertificateCheck.failed(Problem.UNTRUSTED, "the peer sent " + derChain.size()
                    + " certificates; at most " + MAX_CHAIN_LENGTH + " are accepted", summary);
        }
        List<X509Certificate> chain = new ArrayList<>(derChain.size());
        chain.add(leafCertificate);
        for (int i = 1; i < derChain.size(); i++) {
            X509Certificate certificate = decode(factory, derChain.get(i));
            if (certificate == null) {
                return CertificateCheck.failed(Problem.BAD_ENCODING,
                        "certificate " + i + " is not a DER X.509 certificate", summary);
            }
            chain.add(certificate);
        }

        List<X509Certificate> path = path(chain, anchors);
        if (path.size() > MAX_PATH_LENGTH) {
            return CertificateCheck.failed(Problem.UNTRUSTED,
                    "the path is longer than " + MAX_PATH_LENGTH + " certificates", summary);
        }

        Date at = Date.from(now);
        for (X509Certificate certificate : path) {
            String who = certificate == leaf.certificate ? "the certificate" : "issuer " + name(certificate);
            try {
                certificate.checkValidity(at);
            } catch (CertificateExpiredException e) {
                return CertificateCheck.failed(Problem.EXPIRED,
                        who + " expired at " + certificate.getNotAfter().toInstant() + " (now " + now + ")", summary);
            } catch (CertificateNotYetValidException e) {
                return CertificateCheck.failed(Problem.NOT_YET_VALID,
                        who + " is not valid before " + certificate.getNotBefore().toInstant() + " (now " + now + ")",
                        summary);
            }
        }

        String trustFailure = pkixFailure(crypto, factory, path, anchors, at);
        if (trustFailure != null) {
            return CertificateCheck.failed(Problem.UNTRUSTED, trustFailure, summary);
        }

        String usageFailure = usageFailure(leaf, role);
        if (usageFailure != null) {
            return CertificateCheck.failed(Problem.BAD_KEY_USAGE, usageFailure, summary);
        }

        if (role == Role.SERVER && expectedHostName != null && !ServiceIdentity.matches(expectedHostName, leaf.presented)) {
            return CertificateCheck.failed(Problem.NAME_MISMATCH,
                    "the certificate is not for " + printable(expectedHostName) + "; it names "
                            + (summary.subjectAltNames().isEmpty() ? summary.subject() : summary.subjectAltNames()),
                    summary);
        }

        X509Certificate last = path.get(path.size() - 1);
        String detail = "trusted: " + path.size() + (path.size() == 1 ? " certificate" : " certificates")
                + " to the anchor " + last.getIssuerX500Principal().getName()
                + (role == Role.SERVER && expectedHostName != null ? ", valid for " + printable(expectedHostName) : "");
        return CertificateCheck.passed(detail, summary);
    }

    /** The summary of one DER certificate for events and views, or null when it does not decode. */
    public static CertificateSummary summarize(CryptoProvider crypto, byte[] der) {
        X509Certificate certificate = decode(crypto.certificateFactory(), der);
        if (certificate == null) {
            return null;
        }
        Leaf leaf = Leaf.of(crypto, certificate, der);
        return leaf == null ? null : leaf.summary();
    }

    /** One certificate, or null when the bytes are anything but exactly one DER certificate. */
    private static X509Certificate decode(CertificateFactory factory, byte[] der) {
        if (der == null || der.length == 0) {
            return null;
        }
        try {
            Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(der));
            // The JDK's factory also accepts PEM and stops after the first certificate: insist on the exact bytes.
            if (certificate instanceof X509Certificate x509 && Arrays.equals(x509.getEncoded(), der)
                    && signatureIsWholeOctets(x509, der)) {
                return x509;
            }
            return null;
        } catch (CertificateException | RuntimeException e) {
            // ASN.1 decoders in JCA providers throw unchecked exceptions on some malformed input; a peer's garbage
            // must end as BAD_ENCODING, never escape as another exception.
            return null;
        }
    }

    /**
     * The signature BIT STRING is the last element of the certificate, so its content is the encoding's tail: a zero
     * "unused bits" octet, then the signature. The JDK accepts a non-zero count and masks the padding bits away, so
     * flipping that octet gives a second encoding (another fingerprint) of the same signed certificate; no signature
     * algorithm produces a partial octet, so we require whole octets, as Bouncy Castle does.
     */
    private static boolean signatureIsWholeOctets(X509Certificate certificate, byte[] der) {
        byte[] signature = certificate.getSignature();
        int start = der.length - signature.length;
        return start > 0 && der[start - 1] == 0
                && Arrays.equals(der, start, der.length, signature, 0, signature.length);
    }

    /** The leaf and its already-parsed extensions, so later checks cannot fail on decoding. */
    private record Leaf(X509Certificate certificate, CertificateSummary summary, List<String> extendedKeyUsage,
            boolean[] keyUsage, ServiceIdentity.Presented presented) {

        static Leaf of(CryptoProvider crypto, X509Certificate certificate, byte[] der) {
            try {
                List<String> sans = new ArrayList<>();
                List<String> dnsNames = new ArrayList<>();
                List<String> ipAddresses = new ArrayList<>();
                boolean uris = false;
                Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
                if (entries != null) {
                    for (List<?> entry : entries) {
                        int type = (Integer) entry.get(0);
                        Object value = entry.get(1);
                        String text = value instanceof String s ? s : null;
                        switch (type) {
                            case 1 -> sans.add("email:" + text);
                            case 2 -> {
                                sans.add("DNS:" + text);
                                dnsNames.add(text);
                            }
                            case 4 -> sans.add("dirName:" + text);
                            case 6 -> {
                                sans.add("URI:" + text);
                                uris = true;
                            }
                            case 7 -> {
                                sans.add("IP:" + text);
                                ipAddresses.add(text);
                            }
                            default -> sans.add("type" + type);
                        }
                    }
                }
                List<String> eku = certificate.getExtendedKeyUsage();
                PublicKey key = certificate.getPublicKey();
                byte[] fingerprint = crypto.messageDigest(Primitive.SHA256).digest(der);
                CertificateSummary summary = new CertificateSummary(
                        certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                        certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                        certificate.getSerialNumber().toString(16),
                        certificate.getNotBefore().toInstant(),
                        certificate.getNotAfter().toInstant(),
                        key.getAlgorithm(),
                        keyBits(key),
                        sans,
                        Bytes.hex(fingerprint));
                ServiceIdentity.Presented presented = new ServiceIdentity.Presented(dnsNames, ipAddresses, uris,
                        mostSpecificCommonName(certificate.getSubjectX500Principal()));
                return new Leaf(certificate, summary, eku == null ? null : List.copyOf(eku),
                        certificate.getKeyUsage(), presented);
            } catch (CertificateException | InvalidNameException | RuntimeException e) {
                return null;
            }
        }
    }

    /** RFC 6125 §6.4.4: "the most specific" CN, i.e. the last one in the DER sequence of RDNs. */
    private static String mostSpecificCommonName(X500Principal subject) throws InvalidNameException {
        List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns(); // least specific first
        for (int i = rdns.size() - 1; i >= 0; i--) {
            if (rdns.get(i).getType().equalsIgnoreCase("CN") && rdns.get(i).getValue() instanceof String cn) {
                return cn;
            }
        }
        return null;
    }

    private static int keyBits(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof EdECKey ed) {
            return curveBits(ed.getParams());
        }
        if (key instanceof XECKey xec && xec.getParams() instanceof NamedParameterSpec named) {
            return curveBits(named);
        }
        if (key instanceof DSAKey dsa) {
            return dsa.getParams().getP().bitLength();
        }
        return 0;
    }

    private static int curveBits(NamedParameterSpec curve) {
        String name = curve.getName();
        if (name.equalsIgnoreCase("Ed25519") || name.equalsIgnoreCase("X25519")) {
            return 255;
        }
        if (name.equalsIgnoreCase("Ed448") || name.equalsIgnoreCase("X448")) {
            return 448;
        }
        return 0;
    }

    /**
     * Leaf first, then each certificate's issuer from the rest of the chain, until one is issued by an anchor. A
     * self-signed certificate ends the path too; the anchor itself, if the peer sent it, is left out (PKIX paths do
     * not contain the anchor, RFC 5280 §6.1).
     */
    private static List<X509Certificate> path(List<X509Certificate> chain, Set<TrustAnchor> anchors) {
        List<X509Certificate> path = new ArrayList<>();
        List<X509Certificate> rest = new ArrayList<>(chain.subList(1, chain.size()));
        X509Certificate current = chain.get(0);
        path.add(current);
        while (path.size() <= MAX_PATH_LENGTH && !issuedByAnchor(current, anchors) && !selfIssued(current)) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : rest) {
                if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            rest.remove(issuer);
            path.add(issuer);
            current = issuer;
        }
        return path;
    }

    private static boolean issuedByAnchor(X509Certificate certificate, Set<TrustAnchor> anchors) {
        if (anchors == null) {
            return false;
        }
        for (TrustAnchor anchor : anchors) {
            X500Principal name = anchor.getTrustedCert() != null
                    ? anchor.getTrustedCert().getSubjectX500Principal() : anchor.getCA();
            if (certificate.getIssuerX500Principal().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
    }

    /** Null when the path validates to one of the anchors; otherwise why not, safe to show. */
    private static String pkixFailure(CryptoProvider crypto, CertificateFactory factory, List<X509Certificate> path,
            Set<TrustAnchor> anchors, Date at) {
        if (anchors == null || anchors.isEmpty()) {
            return "no trust anchors are configured";
        }
        try {
            CertPath certPath = factory.generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            // Revocation needs OCSP/CRL fetching, i.e. network I/O, which a sans-IO engine cannot do.
            parameters.setRevocationEnabled(false);
            parameters.setDate(at);
            crypto.certPathValidator().validate(certPath, parameters);
            return null;
        } catch (CertPathValidatorException e) {
            String where = e.getIndex() >= 0 && e.getIndex() < path.size() ? " at " + name(path.get(e.getIndex())) : "";
            return "no valid path to a trust anchor" + where + ": " + reason(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            return "no valid path to a trust anchor: " + e.getClass().getSimpleName();
        }
    }

    private static String reason(CertPathValidatorException e) {
        if (e.getReason() == CertPathValidatorException.BasicReason.UNSPECIFIED || e.getMessage() == null) {
            return e.getMessage() == null ? e.getReason().toString() : e.getMessage();
        }
        return e.getReason() + " (" + e.getMessage() + ")";
    }

    private static String usageFailure(Leaf leaf, Role role) {
        String wanted = role == Role.SERVER ? SERVER_AUTH : CLIENT_AUTH;
        if (leaf.extendedKeyUsage() != null && !leaf.extendedKeyUsage().contains(wanted)
                && !leaf.extendedKeyUsage().contains(ANY_EXTENDED_KEY_USAGE)) {
            return "extendedKeyUsage " + leaf.extendedKeyUsage() + " does not allow "
                    + (role == Role.SERVER ? "serverAuth" : "clientAuth");
        }
        boolean[] usage = leaf.keyUsage();
        if (usage != null) {
            boolean sign = bit(usage, DIGITAL_SIGNATURE);
            boolean encipher = role == Role.SERVER && bit(usage, KEY_ENCIPHERMENT);
            if (!sign && !encipher) {
                return "keyUsage allows neither digitalSignature" + (role == Role.SERVER ? " nor keyEncipherment" : "");
            }
        }
        return null;
    }

    private static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    private static String name(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /** A peer-supplied or caller-supplied name, made safe for a log line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 256; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
