package dev.handshake.tls.record;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds handshake messages from handshake record fragments. RFC 5246 §6.2.1 and RFC 8446 §5.1: a message may be
 * split across several records and several messages may share one record, so message boundaries are found only from
 * the 4-byte handshake headers (type, u24 length).
 */
public final class HandshakeReassembler {

    /** The 4-byte handshake header: msg_type(1) and a u24 length. */
    public static final int HEADER_LENGTH = 4;

    /** The complete messages found (each with its 4-byte header) and the bytes of an unfinished one. */
    public record Reassembled(List<byte[]> messages, byte[] pending) {
    }

    private HandshakeReassembler() {
    }

    /**
     * Appends {@code fragment} to {@code pending} and returns every message now complete.
     *
     * <p>Threat bounded: a u24 length lets a peer announce a 16 MiB message and make us buffer it. A declared length
     * above {@code maxMessageLength} fails as soon as the 4-byte header is seen, before any body is buffered.
     *
     * <p>The alert is {@code decode_error}. RFC 8446 §6 splits parse failures in two: a message that "cannot be parsed
     * according to the syntax (e.g., ... contain an out-of-range length)" gets {@code decode_error}; one that is
     * "syntactically correct but semantically invalid" gets {@code illegal_parameter}. An over-long length is the
     * first kind: no message we accept is that long, so the length is out of range and nothing after it can be
     * parsed, and §6.2 defines {@code decode_error} as "some field was out of the specified range".
     */
    public static Reassembled add(byte[] pending, byte[] fragment, int maxMessageLength) {
        byte[] buffer = pending.length == 0 ? fragment : Bytes.concat(pending, fragment);
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (buffer.length - at >= HEADER_LENGTH) {
            int length = ((buffer[at + 1] & 0xff) << 16) | ((buffer[at + 2] & 0xff) << 8) | (buffer[at + 3] & 0xff);
            if (length > maxMessageLength) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "handshake message type " + (buffer[at] & 0xff)
                        + " declares " + length + " bytes, above the limit of " + maxMessageLength);
            }
            int end = at + HEADER_LENGTH + length;
            if (end > buffer.length) {
                break;
            }
            messages.add(Arrays.copyOfRange(buffer, at, end));
            at = end;
        }
        byte[] rest = at == buffer.length ? Bytes.EMPTY : Arrays.copyOfRange(buffer, at, buffer.length);
        return new Reassembled(List.copyOf(messages), rest);
    }
}
