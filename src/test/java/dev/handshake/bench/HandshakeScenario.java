package dev.handshake.bench;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.wire.ProtocolVersion;

/**
 * One kind of handshake the benchmarks measure, for our engine and for SunJSSE alike: the protocol version, the one
 * cipher suite both sides enable, the server's certificate, and whether the client resumes a session from an earlier
 * handshake. TLS 1.3 always uses x25519 (the only group either side offers a key share for); a TLS 1.3 RSA
 * certificate signs CertificateVerify with rsa_pss_rsae_sha256.
 */
enum HandshakeScenario {
    TLS12_RSA(ProtocolVersion.TLS1_2, "TLS_RSA_WITH_AES_128_GCM_SHA256", Certificate.RSA_2048, false),
    TLS12_ECDHE_RSA(ProtocolVersion.TLS1_2, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Certificate.RSA_2048, false),
    TLS12_ECDHE_ECDSA(ProtocolVersion.TLS1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Certificate.ECDSA_P256, false),
    TLS13_RSA(ProtocolVersion.TLS1_3, "TLS_AES_128_GCM_SHA256", Certificate.RSA_2048, false),
    TLS13_ECDSA(ProtocolVersion.TLS1_3, "TLS_AES_128_GCM_SHA256", Certificate.ECDSA_P256, false),
    /** TLS 1.3 PSK resumption with psk_dhe_ke (x25519), of a ticket issued by a full TLS13_RSA handshake. */
    TLS13_RESUMED(ProtocolVersion.TLS1_3, "TLS_AES_128_GCM_SHA256", Certificate.RSA_2048, true),
    /**
     * TLS 1.2 abbreviated handshake by session id, of a session from a full TLS12_ECDHE_RSA handshake. By id, not by
     * RFC 5077 ticket: SunJSSE 17 resumes a TLS 1.2 ticket session only once (the session it resumed is not offered
     * again: seen with javax.net.debug), so a loop of ticket resumptions would time full handshakes on its side.
     */
    TLS12_RESUMED(ProtocolVersion.TLS1_2, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Certificate.RSA_2048, true);

    /** The server certificates of the test PKI, issued by its root; the client validates chain and host name. */
    enum Certificate { RSA_2048, ECDSA_P256 }

    private final ProtocolVersion version;
    private final String suite;
    private final Certificate certificate;
    private final boolean resumed;

    HandshakeScenario(ProtocolVersion version, String suite, Certificate certificate, boolean resumed) {
        this.version = version;
        this.suite = suite;
        this.certificate = certificate;
        this.resumed = resumed;
    }

    ProtocolVersion version() {
        return version;
    }

    /** The IANA name, as both our engine and SunJSSE spell it. */
    String suite() {
        return suite;
    }

    boolean resumed() {
        return resumed;
    }

    /** Whether the client resumes by TLS 1.2 session id (the server keeps the session), not by ticket. */
    boolean resumesBySessionId() {
        return resumed && version == ProtocolVersion.TLS1_2;
    }

    /** The protocol name SunJSSE uses. */
    String jdkProtocol() {
        return version == ProtocolVersion.TLS1_3 ? "TLSv1.3" : "TLSv1.2";
    }

    TestPki.Identity serverIdentity() {
        return certificate == Certificate.ECDSA_P256 ? TestPki.serverEcdsa() : TestPki.serverRsa();
    }

    /** The length of the server's chain in DER: a server flight that carries it cannot be shorter. */
    int chainLength() {
        int length = 0;
        try {
            for (java.security.cert.X509Certificate certificate : serverIdentity().chain()) {
                length += certificate.getEncoded().length;
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return length;
    }
}
