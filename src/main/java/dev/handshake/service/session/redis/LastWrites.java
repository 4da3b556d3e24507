package dev.handshake.service.session.redis;

import dev.handshake.service.session.SessionRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions this replica wrote last, as it wrote them, so the next flight of a client that stays on this replica
 * (and says with {@code If-Match} which version it expects) needs no read from Redis. Bounded, least recently used
 * first out: a copy saves one round trip and is never needed for correctness, since the compare-and-set in Redis still
 * checks the version and an entry is used only before the session's own deadline.
 */
final class LastWrites {

    /** Bounds the memory held: about 2-5 KB per relay session, so at most a few megabytes. */
    static final int MAX_ENTRIES = 1024;

    private record Entry(SessionRecord session, long expiresAtMillis) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized void wrote(SessionRecord session, long expiresAtMillis) {
        entries.put(session.id(), new Entry(session, expiresAtMillis));
    }

    synchronized void forget(String id) {
        entries.remove(id);
    }

    /** The session as this replica wrote it at {@code version}, if that was its last write and it has not expired. */
    synchronized Optional<SessionRecord> at(String id, long version, long nowMillis) {
        Entry entry = entries.get(id);
        if (entry == null || entry.session().version() != version || entry.expiresAtMillis() <= nowMillis) {
            return Optional.empty();
        }
        return Optional.of(entry.session());
    }
}
