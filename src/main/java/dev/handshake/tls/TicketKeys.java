package dev.handshake.tls;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.Secret;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server's session-ticket keys (RFC 5077 §4 "recommended ticket construction", used for TLS 1.3 tickets as well):
 * the first key seals new tickets, every key opens them. Rotation is "put a new key first, keep the old one until its
 * tickets have expired, then drop it"; several nodes that share the list resume each other's sessions. The keys are
 * configuration, not connection state (the service keeps one key per rotation period in its shared store and hands the
 * current list to each engine it builds).
 *
 * @param keys the keys, newest first; empty means the server issues no tickets and ignores those it is offered
 */
public record TicketKeys(List<Key> keys) {

    /** AES-256-GCM key length. */
    public static final int KEY_LENGTH = 32;
    /** Key ids are short labels that travel in the clear at the start of every ticket. */
    public static final int MAX_ID_LENGTH = 16;

    /**
     * One ticket key: {@code id} names it in tickets (so opening never tries every key), {@code secret} is the
     * AES-256-GCM key.
     */
    public record Key(byte[] id, Secret secret) {
        public Key {
            id = id.clone();
            if (id.length < 1 || id.length > MAX_ID_LENGTH) {
                throw new IllegalArgumentException("ticket key id of 1.." + MAX_ID_LENGTH + " bytes");
            }
            if (secret.length() != KEY_LENGTH) {
                throw new IllegalArgumentException("ticket keys are " + KEY_LENGTH + " bytes (AES-256-GCM)");
            }
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && java.util.Arrays.equals(id, other.id) && secret.equals(other.secret);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(id);
        }

        @Override
        public String toString() {
            return "TicketKeys.Key[" + Bytes.hex(id) + ", " + secret + "]";
        }
    }

    public TicketKeys {
        keys = List.copyOf(keys);
        Set<String> ids = new HashSet<>();
        for (Key key : keys) {
            if (!ids.add(Bytes.hex(key.id()))) {
                throw new IllegalArgumentException("duplicate ticket key id " + Bytes.hex(key.id()));
            }
        }
    }

    /** No keys: tickets are neither issued nor accepted. */
    public static TicketKeys none() {
        return new TicketKeys(List.of());
    }

    /** One fresh random key with a random 4-byte id (a single node, or a test). */
    public static TicketKeys generate(SecureRandom random) {
        return new TicketKeys(List.of(newKey(random)));
    }

    /** A fresh random key with a random 4-byte id, e.g. to {@link #rotate} in. */
    public static Key newKey(SecureRandom random) {
        byte[] id = new byte[4];
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(id);
        random.nextBytes(key);
        return new Key(id, new Secret(key));
    }

    /** The list with {@code next} sealing from now on, the older keys still opening, at most {@code keep} in all. */
    public TicketKeys rotate(Key next, int keep) {
        List<Key> rotated = new ArrayList<>();
        rotated.add(next);
        for (Key key : keys) {
            if (rotated.size() >= keep) {
                break;
            }
            rotated.add(key);
        }
        return new TicketKeys(rotated);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key that seals new tickets. */
    public Optional<Key> current() {
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
    }

    /** The key named {@code id}, if it is still in the list. */
    public Optional<Key> find(byte[] id) {
        for (Key key : keys) {
            if (java.security.MessageDigest.isEqual(key.id, id)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
