package dev.handshake.tls;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.state.StateCodec;

/**
 * Everything about one TLS connection between two calls into the engine, as plain values. It serializes with
 * {@link #toBytes()} and restores exactly with {@link #fromBytes(byte[])} at every point of the handshake and after.
 *
 * @param inputBuffer     bytes of an incomplete record, kept until the rest arrives
 * @param handshakeBuffer bytes of an incomplete handshake message, kept until the rest arrives
 * @param session         what the last completed handshake established (null before the first completes)
 * @param failure         why the connection failed; a failed connection is terminal
 */
public record ConnectionState(
        Role role,
        HandshakeState handshake,
        ProtectionState readProtection,
        ProtectionState writeProtection,
        byte[] inputBuffer,
        byte[] handshakeBuffer,
        SessionInfo session,
        int renegotiations,
        boolean closeNotifyReceived,
        boolean closeNotifySent,
        Failure failure) {

    static ConnectionState initial(Role role, HandshakeState handshake) {
        return new ConnectionState(role, handshake, ProtectionState.plaintext(), ProtectionState.plaintext(),
                Bytes.EMPTY, Bytes.EMPTY, null, 0, false, false, null);
    }

    public boolean isEstablished() {
        return session != null && failure == null && !closeNotifySent && !closeNotifyReceived;
    }

    public boolean isFailed() {
        return failure != null;
    }

    /** Closed in both directions, or failed: nothing more can be sent or received. */
    public boolean isTerminal() {
        return failure != null || (closeNotifySent && closeNotifyReceived);
    }

    public byte[] toBytes() {
        return StateCodec.encode(this);
    }

    public static ConnectionState fromBytes(byte[] bytes) {
        return StateCodec.decode(bytes, ConnectionState.class);
    }

    // One wither per component the engine changes: states are immutable, and each call replaces what changed.

    ConnectionState withHandshake(HandshakeState next) {
        return new ConnectionState(role, next, readProtection, writeProtection, inputBuffer, handshakeBuffer, session,
                renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withReadProtection(ProtectionState read) {
        return new ConnectionState(role, handshake, read, writeProtection, inputBuffer, handshakeBuffer, session,
                renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withWriteProtection(ProtectionState write) {
        return new ConnectionState(role, handshake, readProtection, write, inputBuffer, handshakeBuffer, session,
                renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withInputBuffer(byte[] buffer) {
        return new ConnectionState(role, handshake, readProtection, writeProtection, buffer, handshakeBuffer, session,
                renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withHandshakeBuffer(byte[] buffer) {
        return new ConnectionState(role, handshake, readProtection, writeProtection, inputBuffer, buffer, session,
                renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withSession(SessionInfo established) {
        return new ConnectionState(role, handshake, readProtection, writeProtection, inputBuffer, handshakeBuffer,
                established, renegotiations, closeNotifyReceived, closeNotifySent, failure);
    }

    ConnectionState withRenegotiations(int count) {
        return new ConnectionState(role, handshake, readProtection, writeProtection, inputBuffer, handshakeBuffer, session,
                count, closeNotifyReceived, closeNotifySent, failure);
    }

    /** close_notify received: nothing buffered from the peer matters any more (RFC 5246 §7.2.1). */
    ConnectionState withCloseNotifyReceived() {
        return new ConnectionState(role, handshake, readProtection, writeProtection, Bytes.EMPTY, handshakeBuffer,
                session, renegotiations, true, closeNotifySent, failure);
    }

    ConnectionState withCloseNotifySent() {
        return new ConnectionState(role, handshake, readProtection, writeProtection, inputBuffer, handshakeBuffer, session,
                renegotiations, closeNotifyReceived, true, failure);
    }

    /** A failed connection is terminal: its buffers are dropped with it. */
    ConnectionState withFailure(Failure why) {
        return new ConnectionState(role, handshake, readProtection, writeProtection, Bytes.EMPTY, Bytes.EMPTY, session,
                renegotiations, closeNotifyReceived, closeNotifySent, why);
    }
}
