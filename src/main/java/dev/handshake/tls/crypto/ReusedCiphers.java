package dev.handshake.tls.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;

/**
 * The calling thread's reusable cipher for a long-lived key ({@link CryptoProvider#recordCipher}), initialized for
 * one use: record keys, and ticket keys, which stay the same object for their whole rotation period. Reuse skips the
 * JCA lookup and, with the same key object, the provider's key setup.
 */
public final class ReusedCiphers {

    private ReusedCiphers() {
    }

    /**
     * The cipher for {@code key}, initialized with {@code parameters}. The JDK's GCM refuses to encrypt twice on one
     * Cipher object with the key and nonce of its previous use; sealing the same state twice (a replayed handshake with
     * fixed randomness, a retried call) repeats them legitimately, with the same ciphertext as the first time, so such
     * a use gets a fresh cipher, as every use did before ciphers were reused.
     */
    public static Cipher initialized(CryptoProvider crypto, Primitive primitive, Secret key, String keyAlgorithm,
                                     int mode, AlgorithmParameterSpec parameters) throws GeneralSecurityException {
        Cipher cipher = crypto.recordCipher(primitive, key);
        Key jcaKey = crypto.recordKey(primitive, key, keyAlgorithm);
        try {
            cipher.init(mode, jcaKey, parameters);
        } catch (InvalidAlgorithmParameterException | InvalidKeyException e) {
            cipher = crypto.cipher(primitive);
            cipher.init(mode, jcaKey, parameters);
        }
        return cipher;
    }
}
