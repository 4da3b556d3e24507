package dev.handshake.tls.record;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into TLS records (RFC 5246 §6.2.1, RFC 8446 §5.1). Every header is checked as soon as its bytes
 * are there, before waiting for the body: a peer cannot make us buffer up to 64 KiB behind a header we would reject
 * anyway.
 */
public final class RecordFramer {

    /** Every complete record found in the buffer, in order, and the incomplete tail to keep for the next read. */
    public record Framed(List<TlsRecord> records, byte[] remainder) {
    }

    private RecordFramer() {
    }

    /**
     * Splits with the length limit of plaintext records (2^14) or of protected TLS 1.2 records (2^14 + 2048, RFC 5246
     * §6.2.3). A TLS 1.3 connection passes {@link TlsRecord#MAX_CIPHERTEXT_LENGTH_TLS13} to
     * {@link #split(byte[], int)} instead.
     */
    public static Framed split(byte[] buffered, boolean protectedRecords) {
        return split(buffered, protectedRecords ? TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS12 : TlsRecord.MAX_PLAINTEXT_LENGTH);
    }

    /** Splits, failing with {@code record_overflow} on any record whose length exceeds {@code maxFragmentLength}. */
    public static Framed split(byte[] buffered, int maxFragmentLength) {
        List<TlsRecord> records = new ArrayList<>();
        int at = 0;
        while (at < buffered.length) {
            int available = buffered.length - at;
            checkHeader(buffered, at, available, maxFragmentLength);
            if (available < TlsRecord.HEADER_LENGTH) {
                break;
            }
            int length = ((buffered[at + 3] & 0xff) << 8) | (buffered[at + 4] & 0xff);
            if (available < TlsRecord.HEADER_LENGTH + length) {
                break;
            }
            ContentType type = new ContentType(buffered[at] & 0xff);
            ProtocolVersion version = new ProtocolVersion(((buffered[at + 1] & 0xff) << 8) | (buffered[at + 2] & 0xff));
            int from = at + TlsRecord.HEADER_LENGTH;
            records.add(new TlsRecord(type, version, Arrays.copyOfRange(buffered, from, from + length)));
            at = from + length;
        }
        byte[] remainder = at == buffered.length ? Bytes.EMPTY : Arrays.copyOfRange(buffered, at, buffered.length);
        return new Framed(List.copyOf(records), remainder);
    }

    /**
     * Checks as much of the record header at {@code offset} as {@code available} bytes cover, and returns the fragment
     * length once all 5 header bytes are there (-1 before). For a frame decoder that peeks at headers itself.
     */
    public static int checkHeader(byte[] buffer, int offset, int available, int maxFragmentLength) {
        if (available < 1) {
            return -1;
        }
        int type = buffer[offset] & 0xff;
        if ((type & 0x80) != 0) {
            // An SSL 2.0-format (v2-compatible) ClientHello starts with a 2-byte header whose high bit is set
            // (RFC 5246 Appendix E.2). RFC 6176 prohibits SSL 2.0 and RFC 8446 Appendix D.5 forbids negotiating
            // TLS 1.3 with such a hello; we accept only TLS record framing.
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    "SSLv2-format ClientHello (first byte 0x" + Integer.toHexString(type) + "): not supported, RFC 6176");
        }
        if (type < ContentType.CHANGE_CIPHER_SPEC.code() || type > ContentType.APPLICATION_DATA.code()) {
            // RFC 5246 §6: a record type we do not know (heartbeat included: RFC 6520 is never negotiated here).
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unknown record content type " + type);
        }
        if (available < 2) {
            return -1;
        }
        int major = buffer[offset + 1] & 0xff;
        if (major != 3) {
            // Every SSL 3.0 / TLS record version has major 3; RFC 8446 §5.1 makes the minor byte meaningless.
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "record version major byte " + major + ", not 3");
        }
        if (available < TlsRecord.HEADER_LENGTH) {
            return -1;
        }
        int length = ((buffer[offset + 3] & 0xff) << 8) | (buffer[offset + 4] & 0xff);
        if (length > maxFragmentLength) {
            // RFC 5246 §6.2.1/§6.2.3, RFC 8446 §5.1/§5.2: an over-long record is record_overflow.
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "record of " + length + " bytes exceeds " + maxFragmentLength);
        }
        if (length == 0 && type != ContentType.APPLICATION_DATA.code()) {
            // RFC 5246 §6.2.1, RFC 8446 §5.1: zero-length fragments are allowed for application data only.
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                    "zero-length " + new ContentType(type) + " record");
        }
        return length;
    }
}
