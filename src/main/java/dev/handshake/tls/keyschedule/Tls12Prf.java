package dev.handshake.tls.keyschedule;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.suite.PrfHash;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.2 pseudorandom function (RFC 5246 §5): PRF(secret, label, seed) = P_hash(secret, label + seed), with
 * P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ..., A(0) = seed,
 * A(i) = HMAC_hash(secret, A(i-1)). The HMAC comes from the {@link CryptoProvider}; the expansion is ours.
 */
public final class Tls12Prf {

    private Tls12Prf() {
    }

    /**
     * {@code length} bytes of PRF output.
     *
     * @param label an ASCII label such as "master secret" (RFC 5246 §5: the label is its bytes, without a length or
     *              a trailing NUL)
     */
    public static byte[] prf(CryptoProvider provider, PrfHash hash, byte[] secret, String label, byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative PRF length " + length);
        }
        byte[] labelAndSeed = Bytes.concat(label.getBytes(StandardCharsets.US_ASCII), seed);
        Mac hmac = provider.mac(hash.hmac());
        try {
            hmac.init(new SecretKeySpec(hmacKey(secret), hmac.getAlgorithm()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC provider refused a raw key for " + hash, e);
        }
        byte[] out = new byte[length];
        byte[] a = labelAndSeed; // A(0)
        int at = 0;
        while (at < length) {
            a = hmac.doFinal(a); // A(i) = HMAC(secret, A(i-1))
            hmac.update(a);
            byte[] block = hmac.doFinal(labelAndSeed);
            int n = Math.min(block.length, length - at);
            System.arraycopy(block, 0, out, at, n);
            at += n;
        }
        return out;
    }

    /**
     * SecretKeySpec refuses an empty key, but HMAC pads its key with zeros to the block size (RFC 2104 §2), so an
     * empty key and a single zero byte are the same key.
     */
    private static byte[] hmacKey(byte[] secret) {
        return secret.length == 0 ? new byte[1] : secret;
    }
}
