package dev.handshake.tls;

import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.wire.AlertDescription;

/**
 * One state of a handshake state machine, named for what it expects next ({@code ExpectClientHello},
 * {@code ExpectFinished}, ...). States are immutable records of plain values; a transition consumes one message and
 * returns the next state, writing what it sends through the {@link HandshakeContext}.
 */
public interface HandshakeState {

    /** The seed step this state is at: alerts and failures raised here are reported against it. */
    SeedStep step();

    HandshakeState onMessage(HandshakeContext context, HandshakeFrame message);

    default HandshakeState onChangeCipherSpec(HandshakeContext context) {
        throw unexpected("ChangeCipherSpec");
    }

    /** Whether a peer's application data may arrive now (after the first handshake, also while renegotiating). */
    default boolean acceptsApplicationData() {
        return false;
    }

    /** The one way a wrong message is refused (rustls's require_handshake_msg!). */
    default TlsAlertException unexpected(String what) {
        return new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                what + " not expected in " + getClass().getSimpleName());
    }
}
