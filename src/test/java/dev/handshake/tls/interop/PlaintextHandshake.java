package dev.handshake.tls.interop;

import dev.handshake.tls.codec.Bytes;
import java.util.Arrays;

/**
 * Plaintext handshake records for tests that craft a flight by hand or read one message out of an engine's output
 * before any record protection (a ClientHello, a ServerHello).
 */
final class PlaintextHandshake {

    private static final byte HANDSHAKE = 22;

    private PlaintextHandshake() {
    }

    /** One plaintext handshake record carrying {@code handshake} (RFC 8446 §5.1, legacy version 0x0303). */
    static byte[] record(byte[] handshake) {
        return Bytes.concat(new byte[] {HANDSHAKE, 3, 3}, Bytes.u16(handshake.length), handshake);
    }

    /** The first handshake message (with its header) in the leading plaintext handshake records of {@code records}. */
    static byte[] firstMessage(byte[] records) {
        byte[] messages = Bytes.EMPTY;
        for (int at = 0; at + 5 <= records.length && records[at] == HANDSHAKE; ) {
            int length = ((records[at + 3] & 0xff) << 8) | (records[at + 4] & 0xff);
            messages = Bytes.concat(messages, Arrays.copyOfRange(records, at + 5, at + 5 + length));
            at += 5 + length;
        }
        int length = ((messages[1] & 0xff) << 16) | ((messages[2] & 0xff) << 8) | (messages[3] & 0xff);
        return Arrays.copyOf(messages, 4 + length);
    }
}
