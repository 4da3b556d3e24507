package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class RecordCipherCacheTest {

    private final AtomicInteger created = new AtomicInteger();
    private final JcaCryptoProvider jdk = JcaCryptoProvider.jdkDefaults();
    private final RecordCipherCache cache = new RecordCipherCache(p -> {
        created.incrementAndGet();
        return jdk.cipher(p);
    });

    @Test
    void aKeyGetsBackTheCipherItUsedLastTime() {
        Secret key = new Secret(new byte[16]);
        Cipher first = cache.cipher(Primitive.AES_GCM, key);
        assertThat(cache.cipher(Primitive.AES_GCM, key)).isSameAs(first);
        assertThat(created).hasValue(1);
    }

    @Test
    void anEqualKeyOfAnotherConnectionIsAnotherEntry() {
        // identity, not value: comparing key bytes per lookup would cost what the cache saves
        Secret key = new Secret(new byte[16]);
        Secret equal = new Secret(new byte[16]);
        Cipher first = cache.cipher(Primitive.AES_GCM, key);
        cache.cipher(Primitive.AES_GCM, equal);
        assertThat(cache.cipher(Primitive.AES_GCM, key)).isSameAs(first);
    }

    @Test
    void keysUsedOnceNeverGrowTheTable() {
        // a thread that meets every key once (sessions decoded from Redis per request, ended handshakes) keeps the
        // small table however many keys pass, even while they are all still reachable
        List<Secret> reachable = new ArrayList<>();
        for (int i = 0; i < 4 * RecordCipherCache.MAX_SLOTS; i++) {
            Secret key = new Secret(new byte[16]);
            reachable.add(key);
            assertThat(cache.cipher(Primitive.AES_GCM, key).getAlgorithm()).isEqualTo(Primitive.AES_GCM.algorithm());
        }
        assertThat(cache.slots()).isEqualTo(RecordCipherCache.INITIAL_SLOTS);
        assertThat(created.get()).isLessThanOrEqualTo(RecordCipherCache.INITIAL_SLOTS);
    }

    @Test
    void aWorkingSetOfReusedKeysGrowsTheTableUntilEveryKeyKeepsItsCipher() {
        // an event loop with 512 kept-alive connections: 1,024 live keys, each used again on every round
        List<Secret> live = newKeys(1024);
        for (int round = 0; round < 10; round++) {
            live.forEach(key -> cache.cipher(Primitive.AES_GCM, key));
        }
        List<Cipher> held = live.stream().map(key -> cache.cipher(Primitive.AES_GCM, key)).toList();
        int kept = 0;
        for (int i = 0; i < live.size(); i++) {
            kept += cache.cipher(Primitive.AES_GCM, live.get(i)) == held.get(i) ? 1 : 0;
        }
        // keys fall into sets by their random identity hash: a rare set of nine keys still re-keys its ciphers (at
        // 128 slots, without growth, nearly every key did)
        assertThat(kept).isGreaterThanOrEqualTo(live.size() * 98 / 100);
        assertThat(cache.slots()).isGreaterThan(RecordCipherCache.INITIAL_SLOTS)
                .isLessThanOrEqualTo(RecordCipherCache.MAX_SLOTS);
    }

    @Test
    void theTableNeverGrowsBeyondItsBound() {
        List<Secret> live = newKeys(2 * RecordCipherCache.MAX_SLOTS);
        for (int round = 0; round < 4; round++) {
            live.forEach(key -> cache.cipher(Primitive.AES_GCM, key));
        }
        assertThat(cache.slots()).isEqualTo(RecordCipherCache.MAX_SLOTS);
        assertThat(created.get()).isLessThanOrEqualTo(RecordCipherCache.MAX_SLOTS);
    }

    @Test
    void aSlotTakenByAnotherPrimitiveGetsACipherOfTheRightPrimitive() {
        for (int i = 0; i < 4 * RecordCipherCache.INITIAL_SLOTS; i++) {
            Primitive primitive = i % 2 == 0 ? Primitive.AES_GCM : Primitive.CHACHA20_POLY1305;
            assertThat(cache.cipher(primitive, new Secret(new byte[32])).getAlgorithm()).isEqualTo(primitive.algorithm());
        }
    }

    @Test
    void aKeyKeepsItsKeyObjectWhileItHoldsItsSlot() {
        // Corretto's AES-GCM skips its key checks only for the same key object as last time
        Secret key = new Secret(new byte[16]);
        cache.cipher(Primitive.AES_GCM, key);
        SecretKey first = cache.key(Primitive.AES_GCM, key, "AES");
        assertThat(first.getEncoded()).isEqualTo(new byte[16]);
        assertThat(first.getAlgorithm()).isEqualTo("AES");
        cache.cipher(Primitive.AES_GCM, key);
        assertThat(cache.key(Primitive.AES_GCM, key, "AES")).isSameAs(first);
    }

    @Test
    void anotherKeyNeverGetsTheKeyObjectOfTheOneBefore() {
        Secret key = new Secret(new byte[16]);
        cache.cipher(Primitive.AES_GCM, key);
        SecretKey first = cache.key(Primitive.AES_GCM, key, "AES");
        byte[] otherBytes = new byte[16];
        otherBytes[0] = 1;
        for (int i = 0; i < 4 * RecordCipherCache.INITIAL_SLOTS; i++) {
            // some of these take the first key's slot
            Secret other = new Secret(otherBytes);
            cache.cipher(Primitive.AES_GCM, other);
            assertThat(cache.key(Primitive.AES_GCM, other, "AES").getEncoded()).isEqualTo(otherBytes);
        }
        SecretKey again = cache.key(Primitive.AES_GCM, key, "AES");
        assertThat(again.getEncoded()).isEqualTo(new byte[16]);
    }

    @Test
    void asManyKeysAsASetHasWaysAllKeepTheirCiphers() {
        // a connection's read and write keys, and other connections', may map to the same set: none may re-key
        // another's cipher on every record
        Secret first = new Secret(new byte[16]);
        List<Secret> set = new ArrayList<>(List.of(first));
        List<Secret> tried = new ArrayList<>(); // kept reachable, so that no slot is freed meanwhile
        for (int i = 0; i < 1_000_000 && set.size() < RecordCipherCache.WAYS; i++) {
            Secret candidate = new Secret(new byte[16]);
            tried.add(candidate);
            if (sameSet(first, candidate)) {
                set.add(candidate);
            }
        }
        assertThat(set).hasSize(RecordCipherCache.WAYS);
        List<Cipher> ciphers = set.stream().map(key -> cache.cipher(Primitive.AES_GCM, key)).toList();
        int made = created.get();
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < set.size(); k++) {
                assertThat(cache.cipher(Primitive.AES_GCM, set.get(k))).isSameAs(ciphers.get(k));
            }
        }
        assertThat(ciphers).doesNotHaveDuplicates();
        assertThat(created).hasValue(made);
    }

    private static List<Secret> newKeys(int count) {
        List<Secret> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new Secret(new byte[16]));
        }
        return keys;
    }

    private static boolean sameSet(Secret a, Secret b) {
        int slots = RecordCipherCache.INITIAL_SLOTS;
        return RecordCipherCache.firstOfSet(Primitive.AES_GCM, a, slots)
                == RecordCipherCache.firstOfSet(Primitive.AES_GCM, b, slots);
    }
}
