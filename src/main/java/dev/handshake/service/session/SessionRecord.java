package dev.handshake.service.session;

import java.util.List;

/**
 * One session as the repository stores it: everything a call needs to continue the connection, in values that encode
 * to bytes ({@link SessionCodec}). The engine state is kept in its own serialized form
 * ({@code ConnectionState.toBytes()}): one state for relay, client and server for walkthrough.
 *
 * @param version       compare-and-set version; every successful replace stores {@code version + 1}
 * @param states        serialized engine states (relay: the server; walkthrough: client, then server)
 * @param transcript    a bounded summary of events so far, oldest first
 * @param droppedEvents events beyond the transcript bound, counted but not kept
 * @param walkthrough   walkthrough progress; null for relay
 * @param createdAt     epoch millis
 * @param lastFlightAt  epoch millis of the last successful advance (the handshake and idle deadlines run from here)
 * @param capture       the records seen and the key log, bounded: what the capture download is made from
 */
public record SessionRecord(
        String id,
        Mode mode,
        SessionOptions options,
        long version,
        SessionStatus status,
        List<byte[]> states,
        List<TranscriptEntry> transcript,
        int droppedEvents,
        FailureSummary failure,
        WalkthroughProgress walkthrough,
        long createdAt,
        long lastFlightAt,
        SessionCapture capture) {

    public SessionRecord {
        states = List.copyOf(states);
        transcript = List.copyOf(transcript);
        capture = capture == null ? SessionCapture.EMPTY : capture;
    }

    /** A session that has captured nothing yet. */
    public SessionRecord(String id, Mode mode, SessionOptions options, long version, SessionStatus status,
                         List<byte[]> states, List<TranscriptEntry> transcript, int droppedEvents,
                         FailureSummary failure, WalkthroughProgress walkthrough, long createdAt, long lastFlightAt) {
        this(id, mode, options, version, status, states, transcript, droppedEvents, failure, walkthrough, createdAt,
                lastFlightAt, SessionCapture.EMPTY);
    }

    /** Why a session's connection failed: the fatal alert, who sent it and the seed step. */
    public record FailureSummary(String alert, int alertCode, String sentBy, int step, String reason) {
    }

    public SessionRecord withVersion(long next) {
        return new SessionRecord(id, mode, options, next, status, states, transcript, droppedEvents, failure,
                walkthrough, createdAt, lastFlightAt, capture);
    }

    public SessionRecord withCapture(SessionCapture next) {
        return new SessionRecord(id, mode, options, version, status, states, transcript, droppedEvents, failure,
                walkthrough, createdAt, lastFlightAt, next);
    }

    /** The next state of this session after an advance at {@code now}: same id, mode, options and creation time. */
    public SessionRecord advanced(SessionStatus status, List<byte[]> states, List<TranscriptEntry> transcript,
                                  int droppedEvents, FailureSummary failure, WalkthroughProgress walkthrough, long now) {
        return new SessionRecord(id, mode, options, version, status, states, transcript, droppedEvents, failure,
                walkthrough, createdAt, now, capture);
    }
}
