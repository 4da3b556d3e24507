package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.service.session.SessionStoreProperties;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AtRestEncryptionTest {

    static final CryptoProvider CRYPTO = CryptoProviders.preferred();
    static final byte[] K1 = bytes(32, 1);
    static final byte[] K2 = bytes(32, 2);
    static final byte[] SECRET = "master secret 0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SESSION = "sessionAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);

    static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    AtRestEncryption ring(String current, Map<String, byte[]> keys) {
        return new AtRestEncryption(keys, current, CRYPTO);
    }

    AtRestEncryption.Rejection rejection(AtRestEncryption ring, byte[] value, byte[] context) {
        try {
            ring.open(value, context);
            return null;
        } catch (AtRestEncryption.RejectedValueException e) {
            return e.reason();
        }
    }

    @Test
    void sealedValueOpensForItsContextAndHidesThePlaintext() throws Exception {
        AtRestEncryption ring = ring("k1", Map.of("k1", K1));
        byte[] sealed = ring.seal(SECRET, SESSION);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("master secret");
        assertThat(ring.open(sealed, SESSION)).isEqualTo(SECRET);
        assertThat(ring.seal(SECRET, SESSION)).as("a fresh nonce per value").isNotEqualTo(sealed);
    }

    @Test
    void valueMovedToAnotherSessionFailsAuthentication() {
        AtRestEncryption ring = ring("k1", Map.of("k1", K1));
        byte[] sealed = ring.seal(SECRET, SESSION);
        assertThat(rejection(ring, sealed, "sessionBBBBBBBBBBBBBBBBB".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(AtRestEncryption.Rejection.AUTHENTICATION);
    }

    @Test
    void everyFlippedBitIsRejected() {
        AtRestEncryption ring = ring("k1", Map.of("k1", K1, "k2", K1));
        byte[] sealed = ring.seal(SECRET, SESSION);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThat(rejection(ring, tampered, SESSION)).as("bit 0 of byte %d", i).isNotNull();
        }
        assertThat(rejection(ring, java.util.Arrays.copyOf(sealed, sealed.length - 1), SESSION)).isNotNull();
        assertThat(rejection(ring, new byte[0], SESSION)).isEqualTo(AtRestEncryption.Rejection.MALFORMED);
    }

    @Test
    void relabellingAValueWithAnotherKeyIdFails() {
        // "k1" and "k2" hold the same key bytes: only the authenticated key id tells them apart
        AtRestEncryption ring = ring("k1", Map.of("k1", K1, "k2", K1));
        byte[] sealed = ring.seal(SECRET, SESSION);
        sealed[3] = '2';
        assertThat(rejection(ring, sealed, SESSION)).isEqualTo(AtRestEncryption.Rejection.AUTHENTICATION);
    }

    @Test
    void rotationKeepsOldValuesReadableAndSealsNewOnesWithTheCurrentKey() throws Exception {
        AtRestEncryption before = ring("k1", Map.of("k1", K1));
        byte[] old = before.seal(SECRET, SESSION);
        AtRestEncryption during = ring("k2", Map.of("k1", K1, "k2", K2));
        assertThat(during.open(old, SESSION)).isEqualTo(SECRET);
        assertThat(during.sealedWithCurrentKey(old)).isFalse();
        byte[] fresh = during.seal(SECRET, SESSION);
        assertThat(during.sealedWithCurrentKey(fresh)).isTrue();
        AtRestEncryption after = ring("k2", Map.of("k2", K2));
        assertThat(after.open(fresh, SESSION)).isEqualTo(SECRET);
        assertThat(rejection(after, old, SESSION)).isEqualTo(AtRestEncryption.Rejection.UNKNOWN_KEY);
    }

    @Test
    void configurationWithoutKeysFailsNamingWhatToSet() {
        assertThatThrownBy(() -> AtRestEncryption.from(new SessionStoreProperties.Encryption(Map.of(), null), CRYPTO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handshake.session.encryption.keys")
                .hasMessageContaining("current-key-id");
    }

    @Test
    void badKeysAreRefusedWithoutEchoingThem() {
        String shortKey = Base64.getEncoder().encodeToString(bytes(20, 7));
        assertThatThrownBy(() -> AtRestEncryption.from(new SessionStoreProperties.Encryption(
                Map.of("k1", shortKey), "k1"), CRYPTO))
                .hasMessageContaining("16 or 32 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> AtRestEncryption.from(new SessionStoreProperties.Encryption(
                Map.of("k1", Base64.getEncoder().encodeToString(K1)), "k9"), CRYPTO))
                .hasMessageContaining("current-key-id");
    }
}
