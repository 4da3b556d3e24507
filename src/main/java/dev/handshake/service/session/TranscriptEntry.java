package dev.handshake.service.session;

/**
 * One engine event as the session keeps it: the seed step (1-11) it belongs to, who produced it, its kind
 * (message_sent, alert_sent, ...) and a one-line summary that never contains secret values.
 */
public record TranscriptEntry(int step, String actor, String event, String summary) {
}
