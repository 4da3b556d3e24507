package dev.handshake.tls.suite;

/** How a cipher suite establishes the pre-master secret and authenticates the server. */
public enum KeyExchange {
    /** RSA key transport (the seed's handshake): no forward secrecy; RFC 10015 deprecates it. */
    RSA(false),
    ECDHE_RSA(true),
    ECDHE_ECDSA(true),
    /** TLS 1.3 suites name no key exchange: it is negotiated by key_share and signature_algorithms. */
    TLS13(true);

    private final boolean forwardSecret;

    KeyExchange(boolean forwardSecret) {
        this.forwardSecret = forwardSecret;
    }

    public boolean forwardSecret() {
        return forwardSecret;
    }

    public boolean isEcdhe() {
        return this == ECDHE_RSA || this == ECDHE_ECDSA;
    }
}
