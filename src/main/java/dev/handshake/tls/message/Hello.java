package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.wire.AlertDescription;

/** Field rules that ClientHello and ServerHello share (RFC 5246 §7.4.1.2-3, RFC 8446 §4.1.2-3). */
final class Hello {

    static final int RANDOM_LENGTH = 32;
    static final int MAX_SESSION_ID = 32;

    private Hello() {
    }

    /** Random random: exactly 32 bytes (RFC 5246 §7.4.1.2); a short body fails as truncated. */
    static byte[] readRandom(TlsReader r) {
        return r.bytes(RANDOM_LENGTH, "random");
    }

    /**
     * SessionID session_id&lt;0..32&gt;: a longer one is outside the vector's declared range, which RFC 8446 §6.2 names
     * decode_error.
     */
    static byte[] readSessionId(TlsReader r) {
        byte[] sessionId = r.vector8(0, "session_id");
        if (sessionId.length > MAX_SESSION_ID) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "session_id of " + sessionId.length + " bytes exceeds 32");
        }
        return sessionId;
    }

    static void checkRandom(byte[] random) {
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("random must be 32 bytes, not " + random.length);
        }
    }

    static void checkSessionId(byte[] sessionId) {
        if (sessionId.length > MAX_SESSION_ID) {
            throw new IllegalArgumentException("session_id longer than 32 bytes");
        }
    }
}
