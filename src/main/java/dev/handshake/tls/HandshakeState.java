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

    /**
     * RFC 8446 §4.2.10: how many more bytes of records that do not decrypt (0-RTT data we rejected) may be skipped in
     * this state; 0, the default, means any record that fails to decrypt is fatal.
     */
    default int earlyDataSkipBudget() {
        return 0;
    }

    /** This state after skipping {@code bytes} of rejected early data. */
    default HandshakeState earlyDataSkipped(int bytes) {
        return this;
    }

    /** Refuses any message but {@code expected} with unexpected_message (rustls's require_handshake_msg!). */
    default void require(HandshakeFrame message, dev.handshake.tls.wire.HandshakeType expected) {
        if (!message.type().equals(expected)) {
            throw unexpected(message.type().name());
        }
    }

    /** The one way a wrong message is refused. */
    default TlsAlertException unexpected(String what) {
        return new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                what + " not expected in " + getClass().getSimpleName());
    }
}
