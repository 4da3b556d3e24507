package dev.handshake.service.session;

/**
 * What each mode (relay, walkthrough) does when a session starts and when it is closed. The session resource itself
 * ({@link SessionController}) is shared; mode-specific operations (flights, steps) live in each mode's package.
 */
public interface ModeHandler {

    Mode mode();

    /** Builds the new session (not yet stored) and, for relay, the server's answer to a first flight. */
    Created create(String id, CreateSessionRequest request, long now);

    /** The records to send on close (relay: close_notify), or an empty array. */
    byte[] close(SessionRecord session);

    record Created(SessionRecord session, byte[] flight) {
    }
}
