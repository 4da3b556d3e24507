package dev.handshake.tls.record;

/**
 * How many zero bytes we append to each protected TLS 1.3 record we send (RFC 8446 §5.4), to hide the true length of
 * what it carries from an observer of the ciphertext. The receiver strips them whatever the policy.
 *
 * <p>{@link #toMultipleOf(int)} rounds TLSInnerPlaintext (content, type byte and zeros) up to a multiple of a block,
 * so a record's length reveals only how many blocks it needed; {@link #fixed(int)} adds the same number of zeros to
 * every record. Either way the padding stops where content plus padding would pass 2^14 bytes, so TLSInnerPlaintext
 * never exceeds 2^14 + 1 (§5.2: a larger one is record_overflow at the peer). TLS 1.2 records are never padded.
 *
 * @param blockSize pad TLSInnerPlaintext to a multiple of this many bytes (0: not by block)
 * @param fixedBytes append this many zeros to every record (0: none)
 */
public record RecordPadding(int blockSize, int fixedBytes) {

    public RecordPadding {
        if (blockSize < 0 || fixedBytes < 0 || (blockSize > 0 && fixedBytes > 0)) {
            throw new IllegalArgumentException("padding is by block or fixed, not both, and never negative");
        }
        if (blockSize > TlsRecord.MAX_PLAINTEXT_LENGTH + 1 || fixedBytes > TlsRecord.MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("padding beyond a full 2^14-byte record");
        }
    }

    /** No padding: the default, as in most TLS stacks (records reveal their content's length). */
    public static RecordPadding none() {
        return new RecordPadding(0, 0);
    }

    /** TLSInnerPlaintext rounded up to a multiple of {@code blockSize} bytes (e.g. 256). */
    public static RecordPadding toMultipleOf(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be positive");
        }
        return new RecordPadding(blockSize, 0);
    }

    /** {@code bytes} zeros after every record's content. */
    public static RecordPadding fixed(int bytes) {
        return new RecordPadding(0, bytes);
    }

    public boolean isNone() {
        return blockSize == 0 && fixedBytes == 0;
    }

    /** The zeros to append to a record of {@code contentLength} bytes (content only, without the type byte). */
    public int paddingFor(int contentLength) {
        int wanted;
        if (blockSize > 0) {
            int inner = contentLength + 1; // the content type byte is part of TLSInnerPlaintext
            wanted = (blockSize - inner % blockSize) % blockSize;
        } else {
            wanted = fixedBytes;
        }
        return Math.max(0, Math.min(wanted, TlsRecord.MAX_PLAINTEXT_LENGTH - contentLength));
    }
}
