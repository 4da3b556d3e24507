package dev.handshake.tls;

/** A handshake state in which the connection carries application data and a new handshake may be started. */
public interface EstablishedState extends HandshakeState {

    /**
     * Starts seed step 11 from our side: a server sends HelloRequest, a client a new ClientHello (TLS 1.2), or a
     * KeyUpdate (TLS 1.3). Refusals (insecure peer, limit reached) fail with an alert exception and no effect.
     */
    HandshakeState renegotiate(HandshakeContext context);

    @Override
    default boolean acceptsApplicationData() {
        return true;
    }
}
