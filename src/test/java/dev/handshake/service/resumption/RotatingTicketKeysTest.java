package dev.handshake.service.resumption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.service.session.InMemorySharedSecrets;
import dev.handshake.testing.ManualClock;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.crypto.CryptoProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rotation schedule on the service's clock, with the in-memory shared store (no sleeping: the clock is moved). */
class RotatingTicketKeysTest {

    /** A multiple of 12 hours since the epoch: a generation starts here. */
    static final Instant BOUNDARY = Instant.parse("2026-11-28T12:00:00Z");
    static final TicketProperties DEFAULTS = new TicketProperties(true, Duration.ofHours(12), Duration.ofHours(2),
            Duration.ofHours(2), Duration.ofSeconds(30));

    final ManualClock clock = new ManualClock(BOUNDARY.minus(Duration.ofHours(6)));
    final InMemorySharedSecrets shared = new InMemorySharedSecrets(clock);

    RotatingTicketKeys keys(TicketProperties properties) {
        RotatingTicketKeys keys = new RotatingTicketKeys(shared, clock, CryptoProviders.preferred(), properties);
        keys.refresh();
        return keys;
    }

    @Test
    void oneKeySealsForAPeriodThenTheNextTakesOverAndTheOldOneOpensForTheGracePeriod() {
        RotatingTicketKeys keys = keys(DEFAULTS);
        List<TicketKeys> seen = new ArrayList<>();
        keys.onChange(seen::add);
        TicketKeys.Key first = keys.current().current().orElseThrow();
        assertThat(keys.current().keys()).containsExactly(first);

        clock.set(BOUNDARY.minusSeconds(61));
        keys.refresh();
        assertThat(keys.current().keys()).as("a minute out: nothing changes yet").containsExactly(first);
        assertThat(seen).isEmpty();

        clock.set(BOUNDARY.minusSeconds(59));
        keys.refresh();
        assertThat(keys.current().keys()).as("the next key opens tickets before it seals any").hasSize(2)
                .startsWith(first);
        TicketKeys.Key next = keys.current().keys().get(1);

        clock.set(BOUNDARY.plusSeconds(1));
        keys.refresh();
        assertThat(keys.current().keys()).as("rotated: the next key seals, the old one still opens")
                .containsExactly(next, first);

        clock.set(BOUNDARY.plus(Duration.ofHours(2)).minusSeconds(1));
        keys.refresh();
        assertThat(keys.current().keys()).containsExactly(next, first);

        clock.set(BOUNDARY.plus(Duration.ofHours(2)));
        keys.refresh();
        assertThat(keys.current().keys()).as("grace period over").containsExactly(next);
        assertThat(seen).hasSize(3);
        assertThat(keys.lifetimeSeconds()).isEqualTo(7200);
    }

    @Test
    void replicasSharingTheStoreHoldTheSameKeysAndAStartDuringTheGracePeriodTakesTheOldKeyToo() {
        RotatingTicketKeys a = keys(DEFAULTS);
        TicketKeys.Key before = a.current().current().orElseThrow();
        clock.set(BOUNDARY.plus(Duration.ofMinutes(10)));
        RotatingTicketKeys b = keys(DEFAULTS);
        a.refresh();
        assertThat(b.current()).isEqualTo(a.current());
        assertThat(b.current().keys()).hasSize(2).element(1).isEqualTo(before);
    }

    @Test
    void disabledTicketsHaveNoKeys() {
        RotatingTicketKeys keys = keys(new TicketProperties(false, Duration.ofHours(12), Duration.ofHours(2),
                Duration.ofHours(2), Duration.ofSeconds(30)));
        assertThat(keys.current().isEmpty()).isTrue();
    }

    @Test
    void aGracePeriodShorterThanTheTicketLifetimeIsRefused() {
        assertThatThrownBy(() -> new TicketProperties(true, Duration.ofHours(12), Duration.ofHours(1),
                Duration.ofHours(2), Duration.ofSeconds(30))).hasMessageContaining("grace-period");
        assertThatThrownBy(() -> new TicketProperties(true, Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(2), Duration.ofSeconds(30))).hasMessageContaining("grace-period");
        assertThatThrownBy(() -> new TicketProperties(true, Duration.ofHours(12), Duration.ofHours(2),
                Duration.ofDays(8), Duration.ofSeconds(30))).hasMessageContaining("lifetime");
    }
}
