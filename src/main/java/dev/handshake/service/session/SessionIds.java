package dev.handshake.service.session;

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

    /** Whether {@code id} has the shape of one of ours (cheap rejection of junk before a store lookup). */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() == 24 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_');
    }
}
