package dev.handshake.service.session;

import java.util.function.Supplier;

/**
 * Secret material every replica must hold the same copy of, created once by whichever replica needs it first: the
 * walkthrough's certificates and keys, the local CA, and, next, the TLS session-ticket keys. The in-memory store keeps
 * them in this process; the Redis store seals them ({@code AtRestEncryption}) under {@code prefix + "shared:" + name}.
 */
public interface SharedSecrets {

    /**
     * The value stored under {@code name}, or, if there is none yet, {@code initial}'s value stored for everyone. When
     * two replicas race, the first store wins and both return the winner's value.
     */
    byte[] getOrCreate(String name, Supplier<byte[]> initial);
}
