package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory store: compare-and-set, the bound, the handshake and idle deadlines, lazy and incremental expiry. */
class InMemorySessionRepositoryTest {

    static SessionProperties properties(int max, int sweepBatch) {
        return new SessionProperties(max, Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofMinutes(5),
                Duration.ofSeconds(1), sweepBatch, 65536, 48, Duration.ofSeconds(5));
    }

    final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));

    SessionRecord session(String id, Mode mode, SessionStatus status) {
        return new SessionRecord(id, mode, new SessionOptions("TLSv1.2", "COMPATIBLE", null, null, null, "NONE",
                List.of(), List.of()), 0, status, List.of(new byte[] {1, 2, 3}),
                List.of(new TranscriptEntry(1, "client", "message_received", "client_hello (100 bytes)")), 0, null, null,
                clock.millis(), clock.millis());
    }

    @Test
    void replaceSucceedsOnlyForTheStoredVersion() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(10, 10), clock);
        repository.create(session("a", Mode.RELAY, SessionStatus.HANDSHAKING));
        SessionRecord stored = repository.find("a").orElseThrow();
        assertThat(stored.version()).isEqualTo(1);

        assertThat(repository.replace("a", 1, stored)).isEqualTo(SessionRepository.Replace.REPLACED);
        assertThat(repository.replace("a", 1, stored)).isEqualTo(SessionRepository.Replace.CONFLICT);
        assertThat(repository.find("a").orElseThrow().version()).isEqualTo(2);
        assertThat(repository.replace("missing", 1, stored)).isEqualTo(SessionRepository.Replace.GONE);
    }

    @Test
    void refusesNewSessionsAtTheBoundAndFreesRoomOnDelete() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(2, 10), clock);
        repository.create(session("a", Mode.RELAY, SessionStatus.HANDSHAKING));
        repository.create(session("b", Mode.RELAY, SessionStatus.HANDSHAKING));
        assertThatThrownBy(() -> repository.create(session("c", Mode.RELAY, SessionStatus.HANDSHAKING)))
                .isInstanceOf(SessionStoreFullException.class);
        assertThat(repository.find("a")).isPresent();
        assertThat(repository.remove("a")).isPresent();
        repository.create(session("c", Mode.RELAY, SessionStatus.HANDSHAKING));
        assertThat(repository.size()).isEqualTo(2);
    }

    @Test
    void unfinishedHandshakeExpiresThirtySecondsAfterItsLastFlight() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(10, 10), clock);
        repository.create(session("a", Mode.RELAY, SessionStatus.HANDSHAKING));
        clock.advance(Duration.ofSeconds(29));
        assertThat(repository.find("a")).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(repository.find("a")).as("expired on access").isEmpty();
        assertThat(repository.size()).isZero();
    }

    @Test
    void unfinishedHandshakeExpiresAfterTwoMinutesHoweverActive() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(10, 10), clock);
        SessionRecord s = session("a", Mode.RELAY, SessionStatus.HANDSHAKING);
        repository.create(s);
        long version = 1;
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(25));
            SessionRecord next = s.advanced(SessionStatus.HANDSHAKING, s.states(), s.transcript(), 0, null, null, clock.millis());
            assertThat(repository.replace("a", version++, next)).isEqualTo(SessionRepository.Replace.REPLACED);
        }
        assertThat(repository.find("a")).as("100 s after creation, 25 s after the last flight").isPresent();
        clock.advance(Duration.ofSeconds(21));
        assertThat(repository.find("a")).as("121 s after creation, though the last flight was 21 s ago").isEmpty();
    }

    @Test
    void establishedSessionsAndWalkthroughsExpireOnlyWhenIdle() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(10, 10), clock);
        repository.create(session("relay", Mode.RELAY, SessionStatus.ESTABLISHED));
        repository.create(session("walk", Mode.WALKTHROUGH, SessionStatus.HANDSHAKING));
        clock.advance(Duration.ofMinutes(4));
        assertThat(repository.find("relay")).isPresent();
        assertThat(repository.find("walk")).as("a reader's pace is not a held handshake").isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(repository.find("relay")).isEmpty();
        assertThat(repository.find("walk")).isEmpty();
    }

    @Test
    void sweepRemovesExpiredSessionsABatchAtATime() {
        InMemorySessionRepository repository = new InMemorySessionRepository(properties(100, 10), clock);
        for (int i = 0; i < 35; i++) {
            repository.create(session("s" + i, Mode.RELAY, SessionStatus.HANDSHAKING));
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(repository.sweep()).as("one batch").isEqualTo(10);
        assertThat(repository.size()).isEqualTo(25);
        int removed = 0;
        for (int run = 0; run < 5; run++) {
            removed += repository.sweep();
        }
        assertThat(removed).isEqualTo(25);
        assertThat(repository.size()).isZero();
    }

    @Test
    void codecRoundTripsEveryComponent() {
        WalkthroughProgress progress = new WalkthroughProgress(4, new byte[] {22, 3, 3}, false, 8, 2,
                List.of(new WalkthroughProgress.WalkEvent(4, 4, "client", "message_sent", "client_key_exchange",
                        Map.of("encrypted_pre_master_secret", "00ff", "list", List.of(1, "two")), "10000002", "cke")),
                List.of(new WalkthroughProgress.DerivedValue(1, "client", "client_random", "abcd", false)), false, 0);
        SessionRecord s = new SessionRecord("id", Mode.WALKTHROUGH, new SessionOptions("TLSv1.3", "LEGACY",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA", "localhost", "REQUIRED", List.of("h2", "http/1.1"),
                List.of("TAMPERED_FINISHED"), 256), 9, SessionStatus.FAILED, List.of(new byte[] {1}, new byte[] {2, 3}),
                List.of(new TranscriptEntry(8, "server", "alert_sent", "fatal decrypt_error")), 3,
                new SessionRecord.FailureSummary("decrypt_error", 51, "server", 8, "bad Finished"), progress, 5, 6);

        SessionRecord back = SessionCodec.decode(SessionCodec.encode(s));
        assertThat(SessionCodec.encode(back)).isEqualTo(SessionCodec.encode(s));
        assertThat(back.options()).isEqualTo(s.options());
        assertThat(back.options().recordPadding()).isEqualTo(256);
        assertThat(back.failure()).isEqualTo(s.failure());
        assertThat(back.walkthrough().pending()).isEqualTo(progress.pending());
        assertThat(back.states().get(1)).containsExactly(2, 3);
    }

    @Test
    void codecRefusesCorruptBytes() {
        byte[] encoded = SessionCodec.encode(session("a", Mode.RELAY, SessionStatus.HANDSHAKING));
        assertThatThrownBy(() -> SessionCodec.decode(java.util.Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        encoded[2] = 99; // unknown format version
        assertThatThrownBy(() -> SessionCodec.decode(encoded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionIdsCarryAtLeast128RandomBitsInUrlSafeBase64() {
        String id = SessionIds.next();
        assertThat(id).hasSize(24).matches("[A-Za-z0-9_-]+");
        assertThat(java.util.Base64.getUrlDecoder().decode(id)).hasSizeGreaterThanOrEqualTo(16);
        assertThat(SessionIds.isWellFormed(id)).isTrue();
        assertThat(SessionIds.next()).isNotEqualTo(id);
    }
}
