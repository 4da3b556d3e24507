package dev.handshake.tls.crypto;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One thread's record ciphers, each last used with a known traffic key: an eight-way set-associative table from (key
 * object, primitive) to a JCA cipher. A record sealed or opened with the key its cipher had last time skips the key
 * schedule in providers that compare keys on init (Corretto rebuilds its native context only for a new key), which is
 * most of the cost of a small record; a new key takes over a slot's cipher, re-keying it.
 *
 * <p>Sized by what the thread keeps coming back to. A kept-alive connection has two live keys, so an event loop
 * serving 512 connections cycles through 1,024 of them; a table smaller than that re-keys a cipher on most records
 * (RecordLayerBenchmark, 512 connections: 1.69 µs per seal and open with 128 slots in pairs, 1.13 with this table).
 * The table starts at {@link #INITIAL_SLOTS} and doubles, up to {@link #MAX_SLOTS}, when most of its recent misses
 * are keys it had pushed out while they were still reachable: keys that came back, the sign of a working set larger
 * than the table. Keys met once (a session decoded from Redis for one request, the keys of a handshake that ended)
 * never come back, so a thread that meets only such keys, however many, keeps the small table and its few ciphers.
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

    /**
     * Keys one set holds. Keys fall into sets at random (their identity hash), so some sets get more than their share:
     * with eight ways, 1,024 live keys in 4,096 slots overflow a set about once in ten tables, with four ways in every
     * table (a Poisson tail), and an overflowing set re-keys all its ciphers on every round.
     */
    static final int WAYS = 8;
    /** A power of two: what a thread serving a few dozen connections needs. */
    static final int INITIAL_SLOTS = 128;
    /** The bound on one thread's ciphers (each holds a native context in Corretto, about a kilobyte). */
    static final int MAX_SLOTS = 4096;
    /** Misses between two looks at whether the table should grow. */
    static final int WINDOW = 256;
    /** Bits of the filter of pushed-out keys: enough to remember the keys of a full table several times over. */
    private static final int EVICTED_BITS = 1 << 16;

    private final Function<Primitive, Cipher> factory;
    private WeakReference<Secret>[] keys;
    private Primitive[] primitives;
    private Cipher[] ciphers;
    private SecretKeySpec[] keyObjects;
    /** When each slot was last used, on {@link #clock}; 0 for a slot never used. */
    private long[] lastUsed;
    private long clock;
    /**
     * The identity hashes of reachable keys pushed out of their slot (a Bloom filter of one hash, cleared when an
     * eighth of its bits are set): a miss on a key found here is a key that came back. A key never seen before is
     * taken for one that came back at most one time in eight, far below the half that grows the table.
     */
    private final long[] evicted = new long[EVICTED_BITS / 64];
    private int evictedBits;
    private int windowMisses;
    private int windowReturns;

    RecordCipherCache(Function<Primitive, Cipher> factory) {
        this.factory = factory;
        allocate(INITIAL_SLOTS);
    }

    /** The number of slots now: {@link #INITIAL_SLOTS}, doubled each time the working set outgrew it. */
    int slots() {
        return ciphers.length;
    }

    /** The cipher of {@code key}'s slot; the caller initializes it (with this key) before use, as always. */
    Cipher cipher(Primitive primitive, Secret key) {
        int slot = find(primitive, key);
        if (slot >= 0) {
            lastUsed[slot] = ++clock;
            return ciphers[slot];
        }
        countMiss(key);
        slot = victim(primitive, key);
        Secret pushedOut = keys[slot] == null ? null : keys[slot].get();
        if (pushedOut != null) {
            remember(pushedOut);
        }
        lastUsed[slot] = ++clock;
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
        int first = firstOfSet(primitive, key, ciphers.length);
        for (int slot = first; slot < first + WAYS; slot++) {
            if (holds(slot, primitive, key)) {
                return slot;
            }
        }
        return -1;
    }

    /** The slot a new key takes: a free one of its set (never used, or its key collected), else the least recent. */
    private int victim(Primitive primitive, Secret key) {
        int first = firstOfSet(primitive, key, ciphers.length);
        int oldest = first;
        for (int slot = first; slot < first + WAYS; slot++) {
            if (isFree(slot)) {
                return slot;
            }
            if (lastUsed[slot] < lastUsed[oldest]) {
                oldest = slot;
            }
        }
        return oldest;
    }

    /** Counts a miss, and whether its key came back; at the end of a window, grows the table if most did. */
    private void countMiss(Secret key) {
        int bit = System.identityHashCode(key) & (EVICTED_BITS - 1);
        long mask = 1L << bit;
        if ((evicted[bit >>> 6] & mask) != 0) {
            evicted[bit >>> 6] &= ~mask;
            evictedBits--;
            windowReturns++;
        }
        if (++windowMisses == WINDOW) {
            if (windowReturns * 2 >= WINDOW && ciphers.length < MAX_SLOTS) {
                grow();
            }
            windowMisses = 0;
            windowReturns = 0;
        }
    }

    private void remember(Secret pushedOut) {
        int bit = System.identityHashCode(pushedOut) & (EVICTED_BITS - 1);
        long mask = 1L << bit;
        if ((evicted[bit >>> 6] & mask) == 0) {
            evicted[bit >>> 6] |= mask;
            if (++evictedBits > EVICTED_BITS / 8) {
                Arrays.fill(evicted, 0L);
                evictedBits = 0;
            }
        }
    }

    /** Twice the slots; the keys still reachable move to their sets in the larger table, with their ciphers. */
    @SuppressWarnings("unchecked")
    private void grow() {
        WeakReference<Secret>[] oldKeys = keys;
        Primitive[] oldPrimitives = primitives;
        Cipher[] oldCiphers = ciphers;
        SecretKeySpec[] oldKeyObjects = keyObjects;
        long[] oldLastUsed = lastUsed;
        allocate(oldCiphers.length * 2);
        for (int from = 0; from < oldCiphers.length; from++) {
            Secret key = oldKeys[from] == null ? null : oldKeys[from].get();
            if (key == null) {
                // a collected key's cipher goes with its old slot; the garbage collector frees it
                continue;
            }
            // a set of the larger table takes keys from one set of the smaller one only: there is always room
            int to = victim(oldPrimitives[from], key);
            keys[to] = oldKeys[from];
            primitives[to] = oldPrimitives[from];
            ciphers[to] = oldCiphers[from];
            keyObjects[to] = oldKeyObjects[from];
            lastUsed[to] = oldLastUsed[from];
        }
    }

    @SuppressWarnings("unchecked")
    private void allocate(int slots) {
        keys = new WeakReference[slots];
        primitives = new Primitive[slots];
        ciphers = new Cipher[slots];
        keyObjects = new SecretKeySpec[slots];
        lastUsed = new long[slots];
    }

    static int firstOfSet(Primitive primitive, Secret key, int slots) {
        return (System.identityHashCode(key) * 31 + primitive.ordinal()) & (slots - WAYS);
    }

    private boolean isFree(int slot) {
        return keys[slot] == null || keys[slot].get() == null;
    }

    private boolean holds(int slot, Primitive primitive, Secret key) {
        WeakReference<Secret> held = keys[slot];
        return held != null && held.get() == key && primitives[slot] == primitive;
    }
}
