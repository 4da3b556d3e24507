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
    void manyKeysShareAtMostOneCipherPerSlot() {
        for (int i = 0; i < 10 * RecordCipherCache.SLOTS; i++) {
            Cipher cipher = cache.cipher(Primitive.AES_GCM, new Secret(new byte[16]));
            assertThat(cipher.getAlgorithm()).isEqualTo(Primitive.AES_GCM.algorithm());
        }
        assertThat(created.get()).isLessThanOrEqualTo(RecordCipherCache.SLOTS);
    }

    @Test
    void aSlotTakenByAnotherPrimitiveGetsACipherOfTheRightPrimitive() {
        for (int i = 0; i < 4 * RecordCipherCache.SLOTS; i++) {
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
        for (int i = 0; i < 4 * RecordCipherCache.SLOTS; i++) {
            // some of these take the first key's slot
            Secret other = new Secret(otherBytes);
            cache.cipher(Primitive.AES_GCM, other);
            assertThat(cache.key(Primitive.AES_GCM, other, "AES").getEncoded()).isEqualTo(otherBytes);
        }
        SecretKey again = cache.key(Primitive.AES_GCM, key, "AES");
        assertThat(again.getEncoded()).isEqualTo(new byte[16]);
    }

    @Test
    void twoKeysOfOnePairOfSlotsBothKeepTheirCiphers() {
        // a connection's read and write keys, or two connections', may map to the same slots: neither may re-key
        // the other's cipher on every record
        Secret first = new Secret(new byte[16]);
        Secret second = null;
        List<Secret> tried = new ArrayList<>(); // kept reachable, so that no slot is freed meanwhile
        for (int i = 0; i < 100_000 && second == null; i++) {
            Secret candidate = new Secret(new byte[16]);
            tried.add(candidate);
            if (samePair(first, candidate)) {
                second = candidate;
            }
        }
        assertThat(second).isNotNull();
        Cipher firstCipher = cache.cipher(Primitive.AES_GCM, first);
        Cipher secondCipher = cache.cipher(Primitive.AES_GCM, second);
        int made = created.get();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.cipher(Primitive.AES_GCM, first)).isSameAs(firstCipher);
            assertThat(cache.cipher(Primitive.AES_GCM, second)).isSameAs(secondCipher);
        }
        assertThat(secondCipher).isNotSameAs(firstCipher);
        assertThat(created).hasValue(made);
    }

    private static boolean samePair(Secret a, Secret b) {
        int mask = RecordCipherCache.SLOTS - 2;
        return ((System.identityHashCode(a) * 31) & mask) == ((System.identityHashCode(b) * 31) & mask);
    }
}
