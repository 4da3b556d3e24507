package dev.handshake.service.session;

/** Where a session's connection is. */
public enum SessionStatus {
    HANDSHAKING, ESTABLISHED, FAILED, CLOSED
}
