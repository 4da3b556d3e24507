package dev.handshake.tls;

/**
 * A deliberate protocol error our side commits, for teaching (the walkthrough's injected faults) and for negative
 * tests against real peers: each makes the peer's corresponding check fire. Never set in production configuration.
 */
public enum Fault {
    /** Our Finished carries wrong verify_data: the peer must answer decrypt_error (seed steps 8/9). */
    TAMPER_FINISHED,
    /** Our CertificateVerify signature is corrupted: the peer must answer decrypt_error (seed step 5). */
    TAMPER_CERTIFICATE_VERIFY,
    /** The client's RSA-encrypted pre-master is corrupted: the server must carry on and fail only at Finished. */
    TAMPER_PRE_MASTER_SECRET,
    /** The server's ServerKeyExchange signature is corrupted: the client must answer decrypt_error (seed step 3). */
    TAMPER_SERVER_KEY_EXCHANGE,
    /** The client's PSK binder is corrupted: the server must answer decrypt_error (RFC 8446 §4.2.11.2). */
    TAMPER_PSK_BINDER,
    /**
     * The TLS 1.3 client's ClientHello carries early_data although it sends no 0-RTT data itself (a test injects the
     * records): the server must reject 0-RTT and skip what it cannot decrypt (RFC 8446 §4.2.10).
     */
    OFFER_EARLY_DATA,
    /** Send neither renegotiation_info nor the SCSV: we look like a pre-RFC 5746 peer. */
    OMIT_RENEGOTIATION_INFO;

    /** Flips one bit of a copy: enough for any integrity check to fail. */
    public static byte[] corrupt(byte[] value) {
        byte[] copy = value.clone();
        if (copy.length > 0) {
            copy[copy.length / 2] ^= 0x01;
        }
        return copy;
    }
}
