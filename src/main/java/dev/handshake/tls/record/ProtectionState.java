package dev.handshake.tls.record;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.BulkCipher;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Arrays;
import java.util.Objects;

/**
 * One direction's record protection state (RFC 5246 §6.1 "connection state", RFC 8446 §5.3 per-direction keys and
 * sequence number), as plain data: it serializes, travels to another node and continues there. No live JCA object is
 * kept; {@link RecordProtection} initializes one from these bytes for every record.
 *
 * @param suite          the negotiated suite, or null for TLS_NULL_WITH_NULL_NULL (records in plaintext)
 * @param version        TLS1_2 or TLS1_3 for a protected state, saying which record protection applies; for the
 *                       plaintext state, the record-layer version to write (TLS1_0 suits a first ClientHello, RFC
 *                       8446 §5.1)
 * @param key            the write (or read) key; null for plaintext
 * @param macKey         the HMAC key of a CBC or stream suite; null for AEAD suites and plaintext
 * @param fixedIv        the GCM salt (4 bytes), the ChaCha20 / TLS 1.3 IV (12 bytes); empty otherwise
 * @param sequenceNumber the next record's sequence number, an unsigned 64-bit value (RFC 5246 §6.1)
 * @param streamOffset   RC4 only: keystream bytes used so far, so the cipher can be re-created at the right place
 */
public record ProtectionState(CipherSuiteId suite, ProtocolVersion version, Secret key, Secret macKey, byte[] fixedIv,
        long sequenceNumber, long streamOffset) {

    /**
     * The sequence number at which the state refuses further use: 2^64 - 1 as an unsigned long. RFC 5246 §6.1 and RFC
     * 8446 §5.3 forbid wrapping; stopping one short of the last value keeps "next sequence number" always
     * representable, at the cost of one record in 2^64.
     */
    public static final long SEQUENCE_LIMIT = -1L;

    public ProtectionState {
        Objects.requireNonNull(version, "version");
        fixedIv = fixedIv == null ? Bytes.EMPTY : fixedIv.clone();
        if (suite != null && key == null) {
            throw new IllegalArgumentException("a protected state needs a key");
        }
        if (suite != null) {
            // The version picks the record protection; a TLS 1.3 suite under TLS 1.2 rules would build wrong nonces.
            boolean tls13 = version.equals(ProtocolVersion.TLS1_3);
            // checked for every record's next state, so without capturing lambdas
            CipherSuite known = CipherSuites.byId(suite).orElse(null);
            if (known != null && known.isTls13() != tls13) {
                throw new IllegalArgumentException(known + " cannot protect " + version + " records");
            }
        }
    }

    /** The initial state of every connection: no protection, records written with version TLS 1.2 (0x0303). */
    public static ProtectionState plaintext() {
        return plaintext(ProtocolVersion.TLS1_2);
    }

    /** No protection, records written with {@code recordVersion} (a client's first ClientHello may use 0x0301). */
    public static ProtectionState plaintext(ProtocolVersion recordVersion) {
        return new ProtectionState(null, recordVersion, null, null, Bytes.EMPTY, 0, 0);
    }

    /**
     * A TLS 1.2 state from the key block (RFC 5246 §6.3): the write key, the MAC key (null for AEAD suites) and the
     * fixed IV (the 4-byte GCM salt of RFC 5288 §3, the 12-byte ChaCha20 IV of RFC 7905 §2, empty for CBC and RC4).
     */
    public static ProtectionState tls12(CipherSuite suite, Secret key, Secret macKey, byte[] fixedIv) {
        if (suite.isTls13()) {
            throw new IllegalArgumentException(suite + " is a TLS 1.3 suite");
        }
        BulkCipher cipher = suite.cipher();
        checkLength("key", key == null ? -1 : key.length(), cipher.keyLength());
        checkLength("MAC key", macKey == null ? 0 : macKey.length(), suite.mac().length());
        checkLength("fixed IV", fixedIv == null ? 0 : fixedIv.length, cipher.fixedIvLength());
        return new ProtectionState(suite.id(), ProtocolVersion.TLS1_2, key, suite.isAead() ? null : macKey, fixedIv, 0, 0);
    }

    /** A TLS 1.3 state from a traffic secret's key and iv (RFC 8446 §7.3). */
    public static ProtectionState tls13(CipherSuite suite, Secret key, byte[] iv) {
        if (!suite.isTls13()) {
            throw new IllegalArgumentException(suite + " is not a TLS 1.3 suite");
        }
        checkLength("key", key == null ? -1 : key.length(), suite.cipher().keyLength());
        // RFC 8446 §5.3: iv_length is max(8, N_MIN) = 12 for every TLS 1.3 AEAD.
        checkLength("iv", iv == null ? -1 : iv.length, 12);
        return new ProtectionState(suite.id(), ProtocolVersion.TLS1_3, key, null, iv, 0, 0);
    }

    private static void checkLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " of " + actual + " bytes, the suite needs " + expected);
        }
    }

    public boolean isPlaintext() {
        return suite == null;
    }

    public boolean isTls13() {
        return suite != null && version.equals(ProtocolVersion.TLS1_3);
    }

    /** The version written in record headers: RFC 8446 §5.1 freezes legacy_record_version at 0x0303 for TLS 1.3. */
    public ProtocolVersion recordVersion() {
        return isTls13() ? ProtocolVersion.TLS1_2 : version;
    }

    /** True once the sequence number has reached {@link #SEQUENCE_LIMIT}: no further record may be protected. */
    public boolean isExhausted() {
        return sequenceNumber == SEQUENCE_LIMIT;
    }

    @Override
    public byte[] fixedIv() {
        return fixedIv.clone();
    }

    /** The state after one more record whose protection used {@code keystreamBytes} bytes of RC4 keystream. */
    ProtectionState advance(long keystreamBytes) {
        return new ProtectionState(suite, version, key, macKey, fixedIv, sequenceNumber + 1, streamOffset + keystreamBytes);
    }

    /** The same keys at another sequence number; for tests of the wrap limit and for resuming a recorded state. */
    public ProtectionState withSequenceNumber(long next) {
        return new ProtectionState(suite, version, key, macKey, fixedIv, next, streamOffset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtectionState other && Objects.equals(suite, other.suite) && version.equals(other.version)
                && Objects.equals(key, other.key) && Objects.equals(macKey, other.macKey)
                && Arrays.equals(fixedIv, other.fixedIv) && sequenceNumber == other.sequenceNumber
                && streamOffset == other.streamOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(suite, version, Long.hashCode(sequenceNumber), Long.hashCode(streamOffset));
    }

    @Override
    public String toString() {
        // Secret prints redacted; the fixed IV is key-block material too, so only its length is shown.
        return "ProtectionState[" + (suite == null ? "plaintext" : suite) + ", " + version + ", key=" + key
                + ", macKey=" + macKey + ", fixedIv=" + fixedIv.length + " bytes, seq="
                + Long.toUnsignedString(sequenceNumber) + ", streamOffset=" + streamOffset + "]";
    }
}
