package dev.handshake.tls.crypto;

import java.lang.ref.WeakReference;
import java.util.function.Function;
import javax.crypto.Cipher;

/**
 * One thread's record ciphers, each last used with a known traffic key: a direct-mapped table from (key object,
 * primitive) to a JCA cipher. A record sealed or opened with the key its cipher had last time skips the key schedule
 * in providers that compare keys on init (Corretto rebuilds its native context only for a new key), which is most of
 * the cost of a small record; a new key takes over its slot's cipher, re-keying it, so a thread never holds more than
 * {@link #SLOTS} ciphers however many connections it serves.
 *
 * <p>Keys are held weakly: a closed connection's key is not kept alive by the table. Not thread-safe; one per thread.
 */
final class RecordCipherCache {

    /** A power of two: enough for the connections one event loop interleaves, few enough to bound native memory. */
    static final int SLOTS = 128;

    private final Function<Primitive, Cipher> factory;
    @SuppressWarnings("unchecked")
    private final WeakReference<Secret>[] keys = new WeakReference[SLOTS];
    private final Primitive[] primitives = new Primitive[SLOTS];
    private final Cipher[] ciphers = new Cipher[SLOTS];

    RecordCipherCache(Function<Primitive, Cipher> factory) {
        this.factory = factory;
    }

    /** The cipher of {@code key}'s slot; the caller initializes it (with this key) before use, as always. */
    Cipher cipher(Primitive primitive, Secret key) {
        int slot = (System.identityHashCode(key) * 31 + primitive.ordinal()) & (SLOTS - 1);
        WeakReference<Secret> held = keys[slot];
        if (held != null && held.get() == key && primitives[slot] == primitive) {
            return ciphers[slot];
        }
        if (primitives[slot] != primitive) {
            ciphers[slot] = factory.apply(primitive);
            primitives[slot] = primitive;
        }
        keys[slot] = new WeakReference<>(key);
        return ciphers[slot];
    }
}
