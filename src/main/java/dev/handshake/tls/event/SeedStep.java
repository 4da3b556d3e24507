package dev.handshake.tls.event;

/**
 * The eleven steps of the classic SSL handshake this project was founded on ({@code shared/seed/ssl-handshake-steps.txt}).
 * Every engine event names the step it belongs to.
 *
 * <h2>TLS 1.2 with RSA key exchange (the seed's own handshake)</h2>
 * The steps map one to one: ClientHello (1); ServerHello, Certificate, CertificateRequest, ServerHelloDone (2);
 * the client's check of the server chain and name (3); ClientKeyExchange carrying the RSA-encrypted pre-master (4);
 * client Certificate and CertificateVerify (5); the server's check of the client and derivation of the master secret
 * (6); the key block (7); client ChangeCipherSpec and Finished (8); server ChangeCipherSpec and Finished (9);
 * application data (10); renegotiation (11).
 *
 * <h2>TLS 1.2 with ECDHE</h2>
 * Step 2 also carries ServerKeyExchange (the server's signed ECDH share); step 4 sends the client's ECDH share instead
 * of an encrypted pre-master, and the pre-master is the ECDH shared secret.
 *
 * <h2>TLS 1.3</h2>
 * <table>
 * <tr><th>step</th><th>TLS 1.3</th></tr>
 * <tr><td>1</td><td>ClientHello with key_share (and a second ClientHello after HelloRetryRequest)</td></tr>
 * <tr><td>2</td><td>ServerHello with key_share, EncryptedExtensions, CertificateRequest, Certificate,
 *     CertificateVerify</td></tr>
 * <tr><td>3</td><td>the client checks the server's chain, name and CertificateVerify</td></tr>
 * <tr><td>4</td><td>the client's key share in ClientHello: the (EC)DHE shared secret replaces the pre-master</td></tr>
 * <tr><td>5</td><td>client Certificate and CertificateVerify</td></tr>
 * <tr><td>6</td><td>the server checks the client; handshake and master secrets from the key schedule</td></tr>
 * <tr><td>7</td><td>traffic secrets and keys (handshake, then application)</td></tr>
 * <tr><td>8</td><td>client Finished (after an optional middlebox-compatibility ChangeCipherSpec)</td></tr>
 * <tr><td>9</td><td>server Finished (sent in the server's first flight, before the client's)</td></tr>
 * <tr><td>10</td><td>application data; NewSessionTicket</td></tr>
 * <tr><td>11</td><td>no renegotiation: KeyUpdate and post-handshake authentication take its place (the server's
 *     CertificateRequest, the client's Certificate, CertificateVerify and Finished, and the server's check of them)
 *     </td></tr>
 * </table>
 *
 * <h2>Resumption</h2>
 * TLS 1.3 (RFC 8446 §2.2, psk_dhe_ke): step 1 is the ClientHello carrying the ticket in pre_shared_key, with its
 * binder (the server's check of the binder belongs to step 1 as well); step 2 is ServerHello with pre_shared_key and
 * EncryptedExtensions; steps 3, 5 and 6's certificate checks do not happen: the PSK authenticates both sides as in
 * the first connection; step 4 is still the (EC)DHE share, and step 6's key schedule starts from the PSK instead of
 * zeros; steps 7-9 are unchanged; NewSessionTicket, which makes the next resumption possible, is step 10.
 * TLS 1.2 (RFC 5077, RFC 5246 §7.3): step 1 offers the session id or ticket; step 2 is ServerHello echoing it (with
 * NewSessionTicket when a new ticket is issued); steps 3-6 do not happen (the master secret is the session's); step 7
 * derives the key block from the new randoms; the server's ChangeCipherSpec and Finished (step 9) come before the
 * client's (step 8). {@code HandshakeCompleted.resumed} says which kind of handshake it was.
 */
public enum SeedStep {
    CLIENT_HELLO(1, "client", "The client sends its version, cipher settings and session data"),
    SERVER_HELLO(2, "server", "The server answers with its version, cipher settings, certificate and optional certificate request"),
    SERVER_AUTHENTICATION(3, "client", "The client authenticates the server"),
    PRE_MASTER_SECRET(4, "client", "The client creates the pre-master secret and sends it encrypted (or its key share)"),
    CLIENT_AUTHENTICATION_SIGNED(5, "client", "The client sends its certificate and signs the handshake so far"),
    MASTER_SECRET(6, "server", "The server authenticates the client; both derive the master secret"),
    SESSION_KEYS(7, "both", "Both derive the session keys from the master secret"),
    CLIENT_FINISHED(8, "client", "The client switches to the session keys and sends Finished"),
    SERVER_FINISHED(9, "server", "The server switches to the session keys and sends Finished"),
    APPLICATION_DATA(10, "both", "The handshake is complete: application data flows"),
    RENEGOTIATION(11, "both", "Either side renegotiates (TLS 1.3: KeyUpdate or post-handshake authentication)");

    private final int number;
    private final String actor;
    private final String summary;

    SeedStep(int number, String actor, String summary) {
        this.number = number;
        this.actor = actor;
        this.summary = summary;
    }

    public int number() {
        return number;
    }

    public String actor() {
        return actor;
    }

    public String summary() {
        return summary;
    }

    public static SeedStep ofNumber(int number) {
        if (number < 1 || number > 11) {
            throw new IllegalArgumentException("seed steps are numbered 1-11: " + number);
        }
        return values()[number - 1];
    }
}
