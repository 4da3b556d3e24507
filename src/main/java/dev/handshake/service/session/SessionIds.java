package dev.handshake.service.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids: 144 random bits from a {@link SecureRandom}, URL-safe base64 without padding (24 characters). The id
 * is the only credential a session has, so it must be unguessable and is never derived from anything else.
 */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 18;

    private SessionIds() {
    }

    public static String next() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * SHA-256 of the id, base64url without padding: a name for the session that does not open it (the Redis key is
     * built from it), so stores and logs never hold the credential itself.
     */
    public static String digest(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The first 12 characters of {@link #digest}: enough to tell sessions apart in a log line, never the id. */
    public static String fingerprint(String id) {
        return digest(id).substring(0, 12);
    }

    /** Whether {@code id} has the shape of one of ours (cheap rejection of junk before a store lookup). */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() == 24 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_');
    }
}
