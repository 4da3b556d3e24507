package dev.handshake.service.session;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the session store and of what one request may carry. Every limit bounds memory or time a caller can make
 * the service spend.
 *
 * @param maxSessions           sessions held at once; beyond it new sessions get 503 (bounds memory)
 * @param handshakeFlightTimeout an unfinished handshake expires this long after its last flight (slowloris-style holds)
 * @param handshakeTotalTimeout  an unfinished handshake expires this long after creation, however active
 * @param idleTimeout           an established (or ended) session expires this long after its last call
 * @param sweepInterval         how often the incremental expiry sweep runs
 * @param sweepBatch            how many entries one sweep visits (keeps each sweep short: no stop-the-world pass)
 * @param maxFlightBytes        the largest request body a flight may have (413 beyond it)
 * @param transcriptLimit       events kept per session in the summary transcript (older are counted, not kept)
 * @param retryAfter            the Retry-After given with 503 when the store is full
 */
@Validated
@ConfigurationProperties("handshake.session")
public record SessionProperties(
        @DefaultValue("10000") @Min(1) int maxSessions,
        @DefaultValue("30s") @NotNull Duration handshakeFlightTimeout,
        @DefaultValue("120s") @NotNull Duration handshakeTotalTimeout,
        @DefaultValue("5m") @NotNull Duration idleTimeout,
        @DefaultValue("1s") @NotNull Duration sweepInterval,
        @DefaultValue("256") @Min(1) int sweepBatch,
        @DefaultValue("65536") @Min(512) @Max(16777216) int maxFlightBytes,
        @DefaultValue("48") @Min(8) @Max(1000) int transcriptLimit,
        @DefaultValue("5s") @NotNull Duration retryAfter) {

    /** When a session stored now expires, by its status and timestamps. */
    public long expiresAt(SessionRecord session) {
        // the handshake deadline bounds what a remote peer can hold open; a walkthrough has no remote peer (the service
        // plays both sides, at a reader's pace), so only the idle timeout applies to it
        if (session.status() == SessionStatus.HANDSHAKING && session.mode() == Mode.RELAY) {
            return Math.min(session.lastFlightAt() + handshakeFlightTimeout.toMillis(),
                    session.createdAt() + handshakeTotalTimeout.toMillis());
        }
        return session.lastFlightAt() + idleTimeout.toMillis();
    }
}
