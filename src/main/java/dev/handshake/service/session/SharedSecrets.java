package dev.handshake.service.session;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Secret material every replica must hold the same copy of, created once by whichever replica needs it first: the
 * walkthrough's certificates and keys, the local CA, and the TLS session-ticket keys (one per rotation period). The
 * in-memory store keeps them in this process; the Redis store seals them ({@code AtRestEncryption}) under
 * {@code prefix + "shared:" + name}.
 */
public interface SharedSecrets {

    /**
     * The value stored under {@code name}, or, if there is none yet, {@code initial}'s value stored for everyone. When
     * two replicas race, the first store wins and both return the winner's value.
     */
    default byte[] getOrCreate(String name, Supplier<byte[]> initial) {
        return getOrCreate(name, null, initial);
    }

    /**
     * The same, for a value that is forgotten {@code lifetime} after it was created (null: kept for good), so values
     * made for one period, such as a ticket key per rotation, do not pile up. Reading does not extend the lifetime.
     */
    byte[] getOrCreate(String name, Duration lifetime, Supplier<byte[]> initial);
}
