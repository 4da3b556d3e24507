package dev.handshake.tls;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.wire.AlertDescription;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Conversions between X.509 certificates and the DER the handshake carries. */
public final class Certificates {

    private Certificates() {
    }

    public static List<byte[]> encode(List<X509Certificate> chain) {
        List<byte[]> der = new ArrayList<>(chain.size());
        for (X509Certificate certificate : chain) {
            try {
                der.add(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("configured certificate does not encode", e);
            }
        }
        return der;
    }

    /** The public key of a peer's leaf certificate; malformed DER is the peer's fault: bad_certificate. */
    public static PublicKey leafKey(CryptoProvider crypto, byte[] der) {
        try {
            return ((X509Certificate) crypto.certificateFactory()
                    .generateCertificate(new ByteArrayInputStream(der))).getPublicKey();
        } catch (CertificateException | RuntimeException e) {
            throw new TlsAlertException(AlertDescription.BAD_CERTIFICATE, "peer certificate does not decode");
        }
    }
}
