package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Digests and MACs copied from a prototype are independent of each other and compute what a new instance does. */
class JcaPrototypesTest {

    private static final JcaCryptoProvider PREFERRED = CryptoProviders.preferred();
    private static final byte[] DATA = "the transcript".getBytes(StandardCharsets.US_ASCII);

    @Test
    void interleavedMacsUnderDifferentKeysMatchFreshOnes() throws Exception {
        Mac first = PREFERRED.mac(Primitive.HMAC_SHA256);
        Mac second = PREFERRED.mac(Primitive.HMAC_SHA256);
        assertThat(first).isNotSameAs(second);
        first.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        second.init(new SecretKeySpec(new byte[] {1, 2, 3}, "HmacSHA256"));
        first.update(DATA);
        second.update(DATA);
        byte[] firstResult = first.doFinal();
        byte[] secondResult = second.doFinal();

        Mac fresh = Mac.getInstance("HmacSHA256", PREFERRED.providerOf(Primitive.HMAC_SHA256));
        fresh.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        assertThat(firstResult).isEqualTo(fresh.doFinal(DATA));
        fresh.init(new SecretKeySpec(new byte[] {1, 2, 3}, "HmacSHA256"));
        assertThat(secondResult).isEqualTo(fresh.doFinal(DATA));
    }

    @Test
    void aDigestInUseLeavesTheNextCopyUntouched() throws Exception {
        MessageDigest used = PREFERRED.messageDigest(Primitive.SHA256);
        used.update(DATA);
        MessageDigest next = PREFERRED.messageDigest(Primitive.SHA256);
        assertThat(next.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest());
        assertThat(used.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(DATA));
    }
}
