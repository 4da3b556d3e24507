package dev.handshake.service.session.redis;

import dev.handshake.service.session.SessionStoreProperties;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key ring that seals values before they leave the process for Redis: AES-GCM (through the engine's
 * {@link CryptoProvider}) with a fresh random 96-bit nonce per value and the key's id in every value, so keys rotate
 * without losing live values: a value is opened with whichever configured key sealed it, and new values use the
 * current key.
 *
 * <p>Layout: {@code format(1) | keyIdLength(1) | keyId (ASCII) | nonce(12) | ciphertext | tag(16)}. The associated data
 * is the header (format and key id) followed by the caller's context (the session id, or a shared secret's name): a
 * value copied under another session's key, or relabelled with another key id, fails authentication instead of being
 * decrypted into someone else's session.
 *
 * <p>Random nonces bound each key to 2^32 seals (NIST SP 800-38D §8.3); a session is sealed once per flight, so rotate
 * the current key well before that (a key per month at 1000 flights/s is ~2^31).
 */
public final class AtRestEncryption {

    private static final int FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /** Why a stored value was refused; never decrypted into anything. */
    public enum Rejection { MALFORMED, UNKNOWN_KEY, AUTHENTICATION }

    /** A stored value that cannot be opened. Carries no cause, no key, no plaintext. */
    public static final class RejectedValueException extends Exception {

        private final Rejection reason;
        private final String keyId;

        RejectedValueException(Rejection reason, String keyId) {
            super("stored value rejected: " + reason, null, false, false);
            this.reason = reason;
            this.keyId = keyId;
        }

        public Rejection reason() {
            return reason;
        }

        /** The key id the value names (not secret), or null when the header itself is malformed. */
        public String keyId() {
            return keyId;
        }
    }

    private final Map<String, SecretKeySpec> keys;
    private final String currentKeyId;
    private final byte[] currentHeader;
    private final CryptoProvider crypto;

    public AtRestEncryption(Map<String, byte[]> keys, String currentKeyId, CryptoProvider crypto) {
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("encryption key id must match " + KEY_ID.pattern() + ": " + id);
            }
            if (key.length != 16 && key.length != 32) {
                // the message names the id and the length only: never the key
                throw new IllegalArgumentException("encryption key '" + id + "' must be 16 or 32 bytes, not " + key.length);
            }
            specs.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!specs.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("handshake.session.encryption.current-key-id ('" + currentKeyId
                    + "') must name one of the configured keys " + specs.keySet());
        }
        this.keys = Map.copyOf(specs);
        this.currentKeyId = currentKeyId;
        this.currentHeader = header(currentKeyId);
        this.crypto = crypto;
    }

    /** The key ring from configuration; fails with a message naming what to set when no key is configured. */
    public static AtRestEncryption from(SessionStoreProperties.Encryption config, CryptoProvider crypto) {
        if (config.keys().isEmpty() || config.currentKeyId() == null || config.currentKeyId().isBlank()) {
            throw new IllegalStateException("handshake.session.store=redis needs handshake.session.encryption.keys.<id> "
                    + "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) and "
                    + "handshake.session.encryption.current-key-id, the same on every replica");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        config.keys().forEach((id, base64) -> {
            try {
                keys.put(id, Base64.getDecoder().decode(base64.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("encryption key '" + id + "' is not valid base64");
            }
        });
        return new AtRestEncryption(keys, config.currentKeyId(), crypto);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Seals {@code plaintext} with the current key, bound to {@code context}. */
    public byte[] seal(byte[] plaintext, byte[] context) {
        byte[] nonce = new byte[NONCE_BYTES];
        crypto.randomBytes(nonce);
        try {
            Cipher cipher = crypto.cipher(Primitive.AES_GCM);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(currentHeader);
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(currentHeader.length + NONCE_BYTES + sealed.length)
                    .put(currentHeader).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens a value sealed by {@link #seal} under any configured key, for the same {@code context}. */
    public byte[] open(byte[] value, byte[] context) throws RejectedValueException {
        if (value == null || value.length < 2 || value[0] != FORMAT) {
            throw new RejectedValueException(Rejection.MALFORMED, null);
        }
        int idLength = value[1] & 0xff;
        int bodyStart = 2 + idLength + NONCE_BYTES;
        if (idLength == 0 || value.length < bodyStart + TAG_BITS / 8) {
            throw new RejectedValueException(Rejection.MALFORMED, null);
        }
        String keyId = new String(value, 2, idLength, StandardCharsets.US_ASCII);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new RejectedValueException(Rejection.UNKNOWN_KEY, KEY_ID.matcher(keyId).matches() ? keyId : null);
        }
        try {
            Cipher cipher = crypto.cipher(Primitive.AES_GCM);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, 2 + idLength, NONCE_BYTES));
            cipher.updateAAD(value, 0, 2 + idLength);
            cipher.updateAAD(context);
            return cipher.doFinal(value, bodyStart, value.length - bodyStart);
        } catch (AEADBadTagException e) {
            throw new RejectedValueException(Rejection.AUTHENTICATION, keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Whether {@code value} was sealed with the current key (else re-sealing it moves it to the current key). */
    public boolean sealedWithCurrentKey(byte[] value) {
        if (value == null || value.length < currentHeader.length) {
            return false;
        }
        return java.util.Arrays.equals(value, 0, currentHeader.length, currentHeader, 0, currentHeader.length);
    }

    private static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + id.length).put((byte) FORMAT).put((byte) id.length).put(id).array();
    }
}
