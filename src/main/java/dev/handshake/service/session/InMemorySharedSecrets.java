package dev.handshake.service.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** {@link SharedSecrets} for one process (the in-memory session store): nothing to share with. */
public final class InMemorySharedSecrets implements SharedSecrets {

    private record Entry(byte[] value, long expiresAtMillis) {
    }

    private final Map<String, Entry> values = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemorySharedSecrets(Clock clock) {
        this.clock = clock;
    }

    @Override
    public byte[] getOrCreate(String name, Duration lifetime, Supplier<byte[]> initial) {
        long now = clock.millis();
        // a handful of entries (certificates, two or three ticket keys): dropping the expired ones on every call is
        // cheaper than a sweep and keeps a long-running process from collecting a ticket key per rotation
        values.values().removeIf(entry -> entry.expiresAtMillis() <= now);
        long expiresAt = lifetime == null ? Long.MAX_VALUE : now + lifetime.toMillis();
        return values.computeIfAbsent(name, n -> new Entry(initial.get(), expiresAt)).value().clone();
    }
}
