package dev.handshake.service.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** {@link SharedSecrets} for one process (the in-memory session store): nothing to share with. */
final class InMemorySharedSecrets implements SharedSecrets {

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    @Override
    public byte[] getOrCreate(String name, Supplier<byte[]> initial) {
        return values.computeIfAbsent(name, n -> initial.get()).clone();
    }
}
