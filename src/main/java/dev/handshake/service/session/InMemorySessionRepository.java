package dev.handshake.service.session;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded session store: a bounded map of encoded sessions. Each entry holds the {@link SessionCodec} bytes, the
 * version and the expiry instant, nothing else, so an established relay session costs little more than its engine
 * state.
 *
 * <p>Expiry never stops the world: an expired entry is removed when it is next looked up, and {@link #sweep()} (run on
 * a schedule) visits at most {@code sweepBatch} entries per run, resuming where the last run stopped, through the
 * map's weakly consistent iterator (no lock over the map).
 *
 * <p>Compare-and-set is {@link ConcurrentHashMap#compute}, atomic per key: the version check and the store happen
 * under the key's bin lock, so two replaces with the same expected version cannot both succeed.
 */
public final class InMemorySessionRepository implements SessionRepository {

    private record Entry(byte[] encoded, long version, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final SessionProperties properties;
    private final Clock clock;
    private Iterator<Map.Entry<String, Entry>> sweepCursor;

    public InMemorySessionRepository(SessionProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void create(SessionRecord session) {
        // reserve a slot first, so concurrent creates cannot overshoot the bound
        if (count.incrementAndGet() > properties.maxSessions()) {
            count.decrementAndGet();
            throw new SessionStoreFullException(Math.max(1, properties.retryAfter().toSeconds()));
        }
        SessionRecord stored = session.withVersion(1);
        Entry previous = sessions.putIfAbsent(session.id(), entry(stored));
        if (previous != null) {
            count.decrementAndGet();
            throw new IllegalStateException("session id collision"); // 144 random bits: a broken random source
        }
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt() <= clock.millis()) {
            remove(id, entry);
            return Optional.empty();
        }
        return Optional.of(SessionCodec.decode(entry.encoded()));
    }

    @Override
    public Replace replace(String id, long expectedVersion, SessionRecord next) {
        long now = clock.millis();
        Replace[] outcome = {Replace.GONE};
        sessions.computeIfPresent(id, (key, current) -> {
            if (current.expiresAt() <= now) {
                return current; // left for remove below, which keeps the count right
            }
            if (current.version() != expectedVersion) {
                outcome[0] = Replace.CONFLICT;
                return current;
            }
            outcome[0] = Replace.REPLACED;
            return entry(next.withVersion(expectedVersion + 1));
        });
        if (outcome[0] == Replace.GONE) {
            Entry stale = sessions.get(id);
            if (stale != null && stale.expiresAt() <= now) {
                remove(id, stale);
            }
        }
        return outcome[0];
    }

    @Override
    public Optional<SessionRecord> remove(String id) {
        Entry removed = sessions.remove(id);
        if (removed == null) {
            return Optional.empty();
        }
        count.decrementAndGet();
        return removed.expiresAt() <= clock.millis() ? Optional.empty()
                : Optional.of(SessionCodec.decode(removed.encoded()));
    }

    @Override
    public int size() {
        return count.get();
    }

    /** Bytes held for one session (its encoded form), or -1: for the memory benchmark and tests. */
    public int storedBytes(String id) {
        Entry entry = sessions.get(id);
        return entry == null ? -1 : entry.encoded().length;
    }

    /**
     * Visits up to {@code sweepBatch} entries and removes the expired ones; returns how many it removed. Called by one
     * scheduler thread; the cursor survives between runs so every entry is visited within size/batch runs.
     */
    public synchronized int sweep() {
        long now = clock.millis();
        int removed = 0;
        for (int visited = 0; visited < properties.sweepBatch(); visited++) {
            if (sweepCursor == null || !sweepCursor.hasNext()) {
                sweepCursor = sessions.entrySet().iterator();
                if (!sweepCursor.hasNext()) {
                    break;
                }
            }
            Map.Entry<String, Entry> next = sweepCursor.next();
            if (next.getValue().expiresAt() <= now && remove(next.getKey(), next.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    private boolean remove(String id, Entry entry) {
        if (sessions.remove(id, entry)) {
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    private Entry entry(SessionRecord session) {
        return new Entry(SessionCodec.encode(session), session.version(), properties.expiresAt(session));
    }
}
