package dev.handshake.tls.crypto;

import dev.handshake.tls.wire.ProtocolVersion;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import javax.crypto.Cipher;

/**
 * The 48-byte pre-master secret of the RSA key exchange (RFC 5246 §7.4.7.1): its encryption by the client and its
 * decryption by the server without a padding oracle.
 *
 * <p>The server side is the Bleichenbacher defence written out: it never tells a bad padding or a bad version from a
 * good one, not by an exception, not by an early return, and not by a branch on secret bytes. It decrypts with raw
 * RSA and checks the PKCS#1 v1.5 block itself in constant time, because a padding-checking Cipher that throws is the
 * oracle (Bouncy Castle's Marvin, CVE-2024-30171, was exactly that). The only branches are on public facts: the
 * ciphertext's length and whether raw RSA accepts it (a value at or above the modulus), both visible on the wire.
 */
public final class RsaPreMasterSecret {

    /** RFC 5246 §7.4.7.1: struct { ProtocolVersion client_version; opaque random[46]; } PreMasterSecret. */
    public static final int LENGTH = 48;

    /** RFC 8017 §7.2.1: PKCS#1 v1.5 padding has at least 8 nonzero bytes of PS. */
    private static final int MIN_PADDING = 8;

    private RsaPreMasterSecret() {
    }

    /** A new pre-master secret for the client: the version it offered in ClientHello, then 46 random bytes. */
    public static byte[] generate(CryptoProvider provider, ProtocolVersion clientHelloVersion) {
        byte[] preMaster = new byte[LENGTH];
        provider.randomBytes(preMaster);
        preMaster[0] = (byte) (clientHelloVersion.code() >>> 8);
        preMaster[1] = (byte) clientHelloVersion.code();
        return preMaster;
    }

    /** The client's EncryptedPreMasterSecret: RSAES-PKCS1-v1_5 under the server certificate's key. */
    public static byte[] encrypt(CryptoProvider provider, PublicKey serverKey, byte[] preMasterSecret) {
        try {
            Cipher cipher = provider.cipher(Primitive.RSA_PKCS1);
            cipher.init(Cipher.ENCRYPT_MODE, serverKey, provider.secureRandom());
            return cipher.doFinal(preMasterSecret);
        } catch (GeneralSecurityException e) {
            // Our own key and our own 48 bytes: a failure is the deployment's (an unusable key), not the peer's.
            throw new IllegalStateException("cannot encrypt the pre-master secret with a " + serverKey.getAlgorithm()
                    + " key", e);
        }
    }

    /**
     * The server's pre-master secret from the client's EncryptedPreMasterSecret (the bytes inside the u16 length).
     * Always 48 bytes and never an exception for any {@code encrypted}: if the block is not PKCS#1 v1.5 type 2 with a
     * 48-byte message, or the message does not begin with {@code clientHelloVersion}, the result is 48 random bytes,
     * and the handshake fails later at Finished like any other wrong key (RFC 5246 §7.4.7.1).
     *
     * @param privateKey the server's RSA private key (its modulus length fixes the block size)
     */
    public static byte[] decrypt(CryptoProvider provider, PrivateKey privateKey, byte[] encrypted,
            ProtocolVersion clientHelloVersion) {
        // RFC 5246 §7.4.7.1 step 1: generate R before looking at the ciphertext.
        byte[] random = new byte[LENGTH];
        provider.randomBytes(random);

        if (!(privateKey instanceof RSAKey)) {
            throw new IllegalArgumentException("the RSA key exchange needs an RSA private key, not "
                    + privateKey.getAlgorithm());
        }
        int k = (((RSAKey) privateKey).getModulus().bitLength() + 7) / 8;

        // A ciphertext of the wrong length is public and certainly bad; decrypting a zero block instead keeps the work
        // the same and the result R.
        int good = equal(encrypted.length, k);
        byte[] input = encrypted.length == k ? encrypted : new byte[k];

        byte[] block = new byte[k];
        try {
            Cipher cipher = provider.cipher(Primitive.RSA_RAW);
            cipher.init(Cipher.DECRYPT_MODE, provider.nativePrivateKey(Primitive.RSA_RAW, privateKey));
            byte[] decrypted = cipher.doFinal(input);
            // Some providers strip leading zero bytes of the raw result (Bouncy Castle returns k-1 bytes for a
            // well-formed block): left-pad to the modulus length.
            int offset = Math.max(0, k - decrypted.length);
            System.arraycopy(decrypted, Math.max(0, decrypted.length - k), block, offset, Math.min(k, decrypted.length));
        } catch (GeneralSecurityException | RuntimeException e) {
            // Raw RSA rejects only a value at or above the modulus, which anyone can compute from the public key.
            good = 0;
        }

        good &= checkBlock(block, k, clientHelloVersion);

        // Select the message or R byte by byte under a mask: no branch on whether the block was good.
        int mask = -good; // all ones if good, else zero
        byte[] result = new byte[LENGTH];
        int messageStart = k - LENGTH;
        for (int i = 0; i < LENGTH; i++) {
            int message = messageStart + i >= 0 ? block[messageStart + i] : 0;
            result[i] = (byte) ((message & mask) | (random[i] & ~mask));
        }
        return result;
    }

    /**
     * 1 if {@code block} is 0x00 0x02 PS 0x00 M with PS nonzero and at least 8 bytes, M 48 bytes that begin with the
     * client's version; else 0. Every byte is read, whatever the outcome. With M's length fixed, PS is exactly the
     * bytes 2..k-50, so a zero byte anywhere in it (a shorter or longer message) fails the check.
     */
    private static int checkBlock(byte[] block, int k, ProtocolVersion clientHelloVersion) {
        int separator = k - LENGTH - 1;
        if (separator - 2 < MIN_PADDING) {
            // A modulus below 59 bytes cannot hold the block at all; it is a property of our key, not of the input.
            return 0;
        }
        int good = isZero(block[0] & 0xff);
        good &= equal(block[1] & 0xff, 2);
        for (int i = 2; i < separator; i++) {
            good &= 1 ^ isZero(block[i] & 0xff);
        }
        good &= isZero(block[separator] & 0xff);
        // RFC 5246 §7.4.7.1: the version is the one the client offered, not the negotiated one (rollback defence).
        good &= equal(block[separator + 1] & 0xff, clientHelloVersion.code() >>> 8);
        good &= equal(block[separator + 2] & 0xff, clientHelloVersion.code() & 0xff);
        return good;
    }

    /** 1 if {@code x} (a non-negative int) is zero, else 0, with no branch. */
    private static int isZero(int x) {
        return 1 ^ ((x | -x) >>> 31);
    }

    /** 1 if {@code a == b} (non-negative ints), else 0, with no branch. */
    private static int equal(int a, int b) {
        return isZero(a ^ b);
    }
}
