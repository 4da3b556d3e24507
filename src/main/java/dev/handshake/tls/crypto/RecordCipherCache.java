package dev.handshake.tls.crypto;

import java.lang.ref.WeakReference;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One thread's record ciphers, each last used with a known traffic key: a two-way set-associative table from (key
 * object, primitive) to a JCA cipher. A record sealed or opened with the key its cipher had last time skips the key schedule
 * in providers that compare keys on init (Corretto rebuilds its native context only for a new key), which is most of
 * the cost of a small record; a new key takes over its slot's cipher, re-keying it, so a thread never holds more than
 * {@link #SLOTS} ciphers however many connections it serves.
 *
 * <p>Two ways, not one: a kept-alive connection has two live keys, and an event loop with 16 of them put a fifth of its
 * keys in a slot shared with another live key, so both re-keyed their cipher on every record (Corretto's native key
 * setup, and a new key object, per record). A key may sit in either slot of its pair; a new key takes the slot of the
 * pair used less recently, so two live keys of one pair keep their ciphers.
 *
 * <p>Each slot also keeps the JCA key object its cipher was last initialized with ({@link #key}): Corretto's AES-GCM
 * skips its key checks and copy (getEncoded, then a constant-time compare with the key it holds) only when the same
 * object comes back, which a new {@code SecretKeySpec} per record never is.
 *
 * <p>Keys are held weakly: a closed connection's {@link Secret} is not kept alive by the table. Its key object stays
 * in the slot until a new key takes the slot, as the key inside the slot's initialized cipher does anyway. Not
 * thread-safe; one per thread.
 */
final class RecordCipherCache {

    /** A power of two: enough for the connections one event loop interleaves, few enough to bound native memory. */
    static final int SLOTS = 128;

    private final Function<Primitive, Cipher> factory;
    @SuppressWarnings("unchecked")
    private final WeakReference<Secret>[] keys = new WeakReference[SLOTS];
    private final Primitive[] primitives = new Primitive[SLOTS];
    private final Cipher[] ciphers = new Cipher[SLOTS];
    private final SecretKeySpec[] keyObjects = new SecretKeySpec[SLOTS];
    /** Per pair of slots, the one used last. */
    private final int[] lastUsed = new int[SLOTS / 2];

    RecordCipherCache(Function<Primitive, Cipher> factory) {
        this.factory = factory;
    }

    /** The cipher of {@code key}'s slot; the caller initializes it (with this key) before use, as always. */
    Cipher cipher(Primitive primitive, Secret key) {
        int slot = find(primitive, key);
        if (slot >= 0) {
            lastUsed[slot >> 1] = slot;
            return ciphers[slot];
        }
        slot = victim(primitive, key);
        lastUsed[slot >> 1] = slot;
        if (primitives[slot] != primitive) {
            ciphers[slot] = factory.apply(primitive);
            primitives[slot] = primitive;
        }
        keys[slot] = new WeakReference<>(key);
        keyObjects[slot] = null;
        return ciphers[slot];
    }

    /**
     * The key object to initialize {@code key}'s cipher with: the same object for as long as the key keeps its slot.
     * A key that holds no slot (not asked for with {@link #cipher} first, or displaced since) gets a new object.
     */
    SecretKey key(Primitive primitive, Secret key, String algorithm) {
        int slot = find(primitive, key);
        if (slot < 0) {
            return new SecretKeySpec(key.bytes(), algorithm);
        }
        SecretKeySpec held = keyObjects[slot];
        if (held == null || !held.getAlgorithm().equals(algorithm)) {
            held = new SecretKeySpec(key.bytes(), algorithm);
            keyObjects[slot] = held;
        }
        return held;
    }

    /** The slot holding {@code key}'s cipher for {@code primitive}, or -1. */
    private int find(Primitive primitive, Secret key) {
        int first = firstOfPair(primitive, key);
        if (holds(first, primitive, key)) {
            return first;
        }
        return holds(first + 1, primitive, key) ? first + 1 : -1;
    }

    /** The slot a new key takes: a free one of its pair (never used, or its key collected), else the less recent. */
    private int victim(Primitive primitive, Secret key) {
        int first = firstOfPair(primitive, key);
        if (isFree(first)) {
            return first;
        }
        if (isFree(first + 1)) {
            return first + 1;
        }
        return lastUsed[first >> 1] == first ? first + 1 : first;
    }

    private static int firstOfPair(Primitive primitive, Secret key) {
        return (System.identityHashCode(key) * 31 + primitive.ordinal()) & (SLOTS - 2);
    }

    private boolean isFree(int slot) {
        return keys[slot] == null || keys[slot].get() == null;
    }

    private boolean holds(int slot, Primitive primitive, Secret key) {
        WeakReference<Secret> held = keys[slot];
        return held != null && held.get() == key && primitives[slot] == primitive;
    }
}
