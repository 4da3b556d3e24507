package dev.handshake.tls.record;

import dev.handshake.tls.codec.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts outgoing handshake bytes into record fragments. Several messages are coalesced into as few records as
 * possible (RFC 5246 §6.2.1 and RFC 8446 §5.1 allow messages to share a record and to span records): fewer records
 * mean fewer round trips through the record protection and fewer bytes of header and tag on the wire.
 */
public final class HandshakeFragmenter {

    private HandshakeFragmenter() {
    }

    /**
     * Splits {@code handshakeBytes} (one or more complete messages, headers included) into fragments of
     * {@code maxFragment} bytes, the last one shorter. No fragment is empty (RFC 5246 §6.2.1 forbids zero-length
     * handshake fragments), so empty input gives no fragment.
     *
     * @param maxFragment 1 to 2^14 (less when record_size_limit, RFC 8449, or TLS 1.3 padding asks for it)
     */
    public static List<byte[]> fragment(byte[] handshakeBytes, int maxFragment) {
        if (maxFragment < 1 || maxFragment > TlsRecord.MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("maxFragment " + maxFragment + " outside 1.." + TlsRecord.MAX_PLAINTEXT_LENGTH);
        }
        if (handshakeBytes.length <= maxFragment) {
            return handshakeBytes.length == 0 ? List.of() : List.of(handshakeBytes.clone());
        }
        List<byte[]> fragments = new ArrayList<>(handshakeBytes.length / maxFragment + 1);
        for (int at = 0; at < handshakeBytes.length; at += maxFragment) {
            fragments.add(Arrays.copyOfRange(handshakeBytes, at, Math.min(handshakeBytes.length, at + maxFragment)));
        }
        return List.copyOf(fragments);
    }

    /** Coalesces the messages, in order, then fragments them as {@link #fragment(byte[], int)} does. */
    public static List<byte[]> fragment(List<byte[]> messages, int maxFragment) {
        return fragment(Bytes.concat(messages.toArray(byte[][]::new)), maxFragment);
    }
}
