package dev.handshake.tls.crypto;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;

/**
 * The engine's only way to cryptography: new, uninitialised JCA objects for each {@link Primitive}, from whichever JCA
 * provider serves that primitive best here, plus the randomness and the clock. Injecting randomness and time through
 * this seam is what lets a test replay a handshake byte for byte.
 *
 * <p>JCA objects are not thread-safe and are never kept in connection state: callers ask for a fresh one per use, except
 * through {@link #recordCipher}, whose reuse is confined to the calling thread.
 */
public interface CryptoProvider {

    MessageDigest messageDigest(Primitive primitive);

    Mac mac(Primitive primitive);

    Cipher cipher(Primitive primitive);

    /**
     * A cipher for protecting or opening one record under {@code key}, which the same thread may get back on a later
     * call: the caller initializes it (with that key), uses it and is done with it before asking again, and never keeps
     * it. Creating a JCA cipher costs more than sealing a small record with it (a provider lookup and transformation
     * parsing per instance), and keying one costs about as much again, so record protection reuses them per thread
     * and key; the connection state still holds none. The default makes a new one, as {@link #cipher} does.
     */
    default Cipher recordCipher(Primitive primitive, Secret key) {
        return cipher(primitive);
    }

    /**
     * The JCA key object for initializing {@link #recordCipher}'s cipher with {@code key} ({@code algorithm}: "AES",
     * "ChaCha20", ...), which may be the object of the previous record: Corretto's AES-GCM re-checks and copies the
     * key on every init unless the very same key object comes back. The default makes a new one.
     */
    default javax.crypto.SecretKey recordKey(Primitive primitive, Secret key, String algorithm) {
        return new javax.crypto.spec.SecretKeySpec(key.bytes(), algorithm);
    }

    Signature signature(Primitive primitive);

    KeyAgreement keyAgreement(Primitive primitive);

    KeyPairGenerator keyPairGenerator(Primitive primitive);

    KeyFactory keyFactory(Primitive primitive);

    /**
     * The X25519 function of the provider serving {@link Primitive#X25519}. The default goes through its JCA objects
     * ({@link #keyPairGenerator}, {@link #keyAgreement}, {@link #keyFactory}); an implementation may reach the same
     * provider's arithmetic without them.
     */
    default X25519Function x25519() {
        return new JcaX25519(this);
    }

    CertificateFactory certificateFactory();

    CertPathValidator certPathValidator();

    /** The JCA provider serving {@code primitive}, or null where none does here. */
    java.security.Provider providerOf(Primitive primitive);

    /**
     * The configured private key in the form the provider serving {@code primitive} uses natively. Some providers
     * (Amazon Corretto Crypto Provider) re-import a foreign key object on every use, which costs more than the RSA
     * operation itself; an implementation may convert once and remember the result. The default returns the key.
     */
    default java.security.PrivateKey nativePrivateKey(Primitive primitive, java.security.PrivateKey key) {
        return key;
    }

    /** Fills {@code out} with random bytes (client/server randoms, pre-master, IVs, ephemeral keys). */
    void randomBytes(byte[] out);

    /** A SecureRandom view of {@link #randomBytes}, for JCA calls that need one (key generation, signing). */
    java.security.SecureRandom secureRandom();

    /** The current time, for certificate validity, ticket ages and lifetimes. */
    Instant now();
}
