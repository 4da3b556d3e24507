package dev.handshake.tls;

/** Whether a server asks for a client certificate (seed steps 2, 5 and 6), and whether it insists. */
public enum ClientAuth {
    NONE,
    /** CertificateRequest is sent; a client without a certificate may continue, one with a bad certificate may not. */
    OPTIONAL,
    /** A client without a trusted certificate is refused (certificate_required / handshake_failure). */
    REQUIRED
}
