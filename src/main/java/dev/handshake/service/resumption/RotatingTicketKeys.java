package dev.handshake.service.resumption;

import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's session-ticket keys: one key per rotation period ("generation" {@code floor(now / rotationPeriod)}),
 * shared by every replica through {@link SharedSecrets}. A generation's key is created by whichever replica needs it
 * first ({@code SET NX} in Redis, sealed at rest like session values) and read by the others, so two replicas rotating
 * at the same moment cannot end up with two different current keys. The list handed to engines is:
 *
 * <ol>
 *   <li>the current generation's key, which seals new tickets;</li>
 *   <li>the next generation's key, from two refresh intervals before it takes over (opening only), so tickets of a
 *       replica that switched a moment earlier still resume here;</li>
 *   <li>the previous generation's key during the grace period after the switch (opening only), so tickets issued just
 *       before it resume for their lifetime; after that they give a full handshake.</li>
 * </ol>
 *
 * <p>{@link #refresh()} runs on a schedule and reads the wanted generations again each time (one {@code GET} each when
 * they exist), so a replica notices a key another replica re-created after Redis lost its data. Requests never touch
 * the shared store: engines take {@link #current()}, a value held here. When the store cannot be reached, the keys held
 * stay in use for as long as their schedule allows (at most one grace period past their own generation); then no
 * tickets are issued or accepted (full handshakes) until the store answers again.
 */
public final class RotatingTicketKeys {

    private static final Logger log = LoggerFactory.getLogger(RotatingTicketKeys.class);
    private static final int ID_BYTES = 4;
    /** The shared value: a random key id (in every ticket, in clear) followed by the AES-256-GCM key. */
    private static final int VALUE_BYTES = ID_BYTES + TicketKeys.KEY_LENGTH;

    private final SharedSecrets shared;
    private final Clock clock;
    private final CryptoProvider crypto;
    private final TicketProperties properties;
    private final long periodMillis;
    private final List<Consumer<TicketKeys>> listeners = new CopyOnWriteArrayList<>();

    /** Generation -> key, for the generations currently wanted. */
    private final NavigableMap<Long, TicketKeys.Key> held = new TreeMap<>();
    private volatile TicketKeys current = TicketKeys.none();
    private boolean storeFailing;

    public RotatingTicketKeys(SharedSecrets shared, Clock clock, CryptoProvider crypto, TicketProperties properties) {
        this.shared = shared;
        this.clock = clock;
        this.crypto = crypto;
        this.properties = properties;
        this.periodMillis = properties.rotationPeriod().toMillis();
    }

    /** The keys engines use now: the first seals, all open; empty when tickets are off or no key can be had. */
    public TicketKeys current() {
        return current;
    }

    /** The lifetime each ticket announces, in seconds. */
    public long lifetimeSeconds() {
        return properties.lifetime().toSeconds();
    }

    /** Called with the new keys whenever they change (the proxy rebuilds its route engines). */
    public void onChange(Consumer<TicketKeys> listener) {
        listeners.add(listener);
    }

    /**
     * Brings the keys up to the clock: takes the generations now wanted from the shared store and drops the others.
     * Never throws for a store failure (it is logged once per outage).
     */
    public synchronized void refresh() {
        if (!properties.enabled()) {
            return;
        }
        long now = clock.millis();
        try {
            Map<Long, TicketKeys.Key> loaded = new TreeMap<>();
            for (long generation : wantedGenerations(now)) {
                loaded.put(generation, load(generation, now));
            }
            held.clear();
            held.putAll(loaded);
            if (storeFailing) {
                storeFailing = false;
                log.info("Ticket keys: the shared store answers again");
            }
        } catch (RuntimeException e) {
            if (!storeFailing) {
                storeFailing = true;
                // the exception's class only: a store failure's message may name hosts, never secrets, but the
                // type is all an operator needs next to the store's own health
                log.warn("Ticket keys cannot be read from the shared store ({}); keeping the keys held while their "
                        + "schedule allows, then issuing no tickets until it answers", e.getClass().getSimpleName());
            }
            held.keySet().removeIf(generation -> !usable(generation, now));
        }
        publish(order(now));
    }

    /** Generations wanted at {@code now}: current, next (just before it starts), previous (in the grace period). */
    List<Long> wantedGenerations(long now) {
        long generation = Math.floorDiv(now, periodMillis);
        List<Long> wanted = new ArrayList<>(List.of(generation));
        long prefetch = properties.refreshInterval().multipliedBy(2).toMillis();
        if (now >= start(generation + 1) - prefetch) {
            wanted.add(generation + 1);
        }
        if (now < start(generation) + properties.gracePeriod().toMillis()) {
            wanted.add(generation - 1);
        }
        return wanted;
    }

    /** A held key may still be used while its generation has not ended more than a grace period ago. */
    private boolean usable(long generation, long now) {
        return now < start(generation + 1) + properties.gracePeriod().toMillis();
    }

    /** The held keys, the sealing key first: the newest generation that has started (never the prefetched next one). */
    private TicketKeys order(long now) {
        Map.Entry<Long, TicketKeys.Key> sealing = held.floorEntry(Math.floorDiv(now, periodMillis));
        if (sealing == null) {
            return TicketKeys.none(); // only a key whose period has not begun: it must not seal yet
        }
        List<TicketKeys.Key> keys = new ArrayList<>(List.of(sealing.getValue()));
        held.descendingMap().forEach((generation, key) -> {
            if (generation != sealing.getKey().longValue()) {
                keys.add(key);
            }
        });
        return new TicketKeys(keys);
    }

    private void publish(TicketKeys next) {
        if (next.equals(current)) {
            return;
        }
        current = next;
        log.info("Ticket keys now {} (sealing: {})", next.keys().size(),
                next.current().map(k -> dev.handshake.tls.codec.Bytes.hex(k.id())).orElse("none"));
        for (Consumer<TicketKeys> listener : listeners) {
            listener.accept(next);
        }
    }

    private TicketKeys.Key load(long generation, long now) {
        // kept in the store until its grace period is over, plus a refresh interval of margin
        Duration lifetime = Duration.ofMillis(start(generation + 1) + properties.gracePeriod().toMillis()
                + properties.refreshInterval().toMillis() - now);
        byte[] value = shared.getOrCreate(name(generation), lifetime, () -> {
            byte[] fresh = new byte[VALUE_BYTES];
            crypto.randomBytes(fresh);
            return fresh;
        });
        try {
            if (value.length != VALUE_BYTES) {
                throw new IllegalStateException("shared ticket key " + name(generation) + " has " + value.length
                        + " bytes, not " + VALUE_BYTES);
            }
            return new TicketKeys.Key(Arrays.copyOf(value, ID_BYTES),
                    new Secret(Arrays.copyOfRange(value, ID_BYTES, VALUE_BYTES)));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** The period is part of the name: replicas configured with another period never share a generation number. */
    private String name(long generation) {
        return "ticket-key:" + properties.rotationPeriod().toSeconds() + "s:" + generation;
    }

    private long start(long generation) {
        return generation * periodMillis;
    }
}
