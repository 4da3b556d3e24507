package dev.handshake.tls.resumption;

import dev.handshake.tls.codec.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link SessionCache}: at most {@code capacity} sessions in this process, the least recently used
 * dropped first. One instance is shared by the connections of a server configuration.
 */
public final class InMemorySessionCache implements SessionCache {

    /** Enough for a busy single node; each entry is about 200 bytes, plus the client's chain if it sent one. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Map<String, TicketContents> sessions;

    public InMemorySessionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TicketContents> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized void store(byte[] sessionId, TicketContents session) {
        sessions.put(Bytes.hex(sessionId), session);
    }

    @Override
    public synchronized Optional<TicketContents> lookup(byte[] sessionId) {
        return Optional.ofNullable(sessions.get(Bytes.hex(sessionId)));
    }

    @Override
    public synchronized void remove(byte[] sessionId) {
        sessions.remove(Bytes.hex(sessionId));
    }

    public synchronized int size() {
        return sessions.size();
    }
}
