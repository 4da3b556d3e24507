package dev.handshake.tls;

/** A handshake state in which the connection carries application data and a new handshake may be started. */
public interface EstablishedState extends HandshakeState {

    /**
     * Starts seed step 11 from our side: a server sends HelloRequest, a client a new ClientHello (TLS 1.2), or a
     * KeyUpdate (TLS 1.3). Refusals (insecure peer, limit reached) fail with an alert exception and no effect.
     */
    HandshakeState renegotiate(HandshakeContext context);

    /**
     * Seed step 11 in TLS 1.3: asks the client for a certificate now (post-handshake authentication, RFC 8446
     * §4.6.2), with {@code mode} saying whether it may decline. Only a TLS 1.3 server whose client offered
     * post_handshake_auth can; anywhere else this is the caller's mistake, refused without touching the connection.
     */
    default HandshakeState requestClientCertificate(HandshakeContext context, ClientAuth mode) {
        throw new IllegalStateException("post-handshake authentication needs an established TLS 1.3 server "
                + "connection whose client offered post_handshake_auth");
    }

    @Override
    default boolean acceptsApplicationData() {
        return true;
    }
}
