package dev.handshake.tls.record;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.ReusedCiphers;
import dev.handshake.tls.suite.BulkCipher;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.MacAlgorithm;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Record protection and its removal: TLS 1.2 AEAD (RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2), CBC with
 * MAC-then-encrypt (RFC 5246 §6.2.3.2), the RC4 stream cipher (§6.2.3.1, legacy profile only), and TLS 1.3 (RFC 8446
 * §5.2-5.4). Each call takes a {@link ProtectionState} and returns the next one; JCA objects come from the
 * {@link CryptoProvider} per call (its {@link CryptoProvider#recordCipher} reused within the thread) and are never
 * kept in a state.
 */
public final class RecordProtection {

    /** The state after the record, and the record as sent: 5-byte header and protected fragment. */
    public record Sealed(ProtectionState next, byte[] record) {
    }

    /** The state after the record, the record's real content type and its plaintext. */
    public record Opened(ProtectionState next, ContentType type, byte[] plaintext) {
    }

    /** seq_num(8) + type(1) + version(2) + length(2): the TLS 1.2 MAC and AEAD additional-data prefix. */
    private static final int PSEUDO_HEADER_LENGTH = 13;
    /** RFC 8446 §5.2: TLS 1.3 AEADs here all have 16-byte tags; TLSInnerPlaintext may be at most 2^14 + 1 bytes. */
    private static final int TLS13_TAG_LENGTH = 16;
    private static final int TLS13_MAX_INNER_LENGTH = TlsRecord.MAX_PLAINTEXT_LENGTH + 1;
    private static final String BAD_RECORD_MAC = "record failed authentication";

    private RecordProtection() {
    }

    /** Protects one record without TLS 1.3 padding. */
    public static Sealed seal(CryptoProvider crypto, ProtectionState state, ContentType type, byte[] plaintext) {
        return seal(crypto, state, type, plaintext, 0);
    }

    /**
     * Protects one record of at most 2^14 plaintext bytes.
     *
     * @param paddingLength TLS 1.3 only (RFC 8446 §5.4): zero bytes appended to TLSInnerPlaintext to hide the length;
     *                      plaintext + padding may be at most 2^14 bytes. Must be 0 for other states.
     * @throws TlsAlertException internal_error when the state is exhausted (sequence number at 2^64 - 1), the
     *                           plaintext is too long, or the JCA provider fails: all of them our own failure.
     */
    public static Sealed seal(CryptoProvider crypto, ProtectionState state, ContentType type, byte[] plaintext,
            int paddingLength) {
        Objects.requireNonNull(type, "type");
        if (paddingLength < 0 || (paddingLength > 0 && !state.isTls13())) {
            throw new IllegalArgumentException("padding is for TLS 1.3 states only, and not negative");
        }
        if (paddingLength > TlsRecord.MAX_PLAINTEXT_LENGTH - plaintext.length) { // written so it cannot overflow
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "record plaintext of " + plaintext.length
                    + " bytes plus " + paddingLength + " padding exceeds 2^14: fragment first");
        }
        if (state.isPlaintext()) {
            // TLS_NULL_WITH_NULL_NULL: nothing to protect, and its sequence number is never used, so the state stays.
            byte[] record = new byte[TlsRecord.HEADER_LENGTH + plaintext.length];
            TlsRecord.writeHeader(record, 0, type, state.version(), plaintext.length);
            System.arraycopy(plaintext, 0, record, TlsRecord.HEADER_LENGTH, plaintext.length);
            return new Sealed(state, record);
        }
        if (state.isExhausted()) {
            // RFC 5246 §6.1 / RFC 8446 §5.3: sequence numbers never wrap; the connection must rekey or close first.
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "write sequence number exhausted");
        }
        CipherSuite suite = CipherSuites.require(state.suite());
        try {
            if (state.isTls13()) {
                return seal13(crypto, state, suite, type, plaintext, paddingLength);
            }
            switch (suite.cipher().kind()) {
                case AEAD:
                    return sealAead12(crypto, state, suite, type, plaintext);
                case BLOCK:
                    return sealBlock12(crypto, state, suite, type, plaintext);
                default:
                    return sealStream12(crypto, state, suite, type, plaintext);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR,
                    "record encryption failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Removes the protection of one record and checks its plaintext.
     *
     * <p>Alerts: {@code bad_record_mac} for every authentication, padding or too-short-fragment failure (RFC 5246
     * §6.2.3.2 and RFC 8446 §5.2 name it for all of them; a single alert and reason keep it from being an oracle);
     * {@code record_overflow} for plaintext above 2^14 (TLS 1.3: TLSInnerPlaintext above 2^14 + 1);
     * {@code unexpected_message} for a TLS 1.3 inner plaintext with no content type, a content type that may not be
     * protected, an outer type other than application_data (RFC 8446 §5.2; dropping the compatibility-mode
     * change_cipher_spec of §5 is the caller's job, before calling this), or a zero-length handshake, alert or
     * change_cipher_spec fragment (RFC 5246 §6.2.1, RFC 8446 §5.1). A state at the sequence limit refuses with
     * {@code bad_record_mac}: the peer had to rekey or close before sending this record, so it cannot be
     * authenticated under a unique sequence number, and one alert for "cannot authenticate" gives nothing away.
     */
    public static Opened open(CryptoProvider crypto, ProtectionState state, TlsRecord record) {
        if (state.isPlaintext()) {
            byte[] fragment = record.fragment();
            if (fragment.length > TlsRecord.MAX_PLAINTEXT_LENGTH) {
                throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                        "plaintext record of " + fragment.length + " bytes exceeds 2^14");
            }
            checkNotEmpty(record.type(), fragment.length);
            return new Opened(state, record.type(), fragment);
        }
        if (state.isExhausted()) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, "read sequence number exhausted");
        }
        CipherSuite suite = CipherSuites.require(state.suite());
        if (state.isTls13()) {
            return open13(crypto, state, suite, record);
        }
        if (record.fragment().length > TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS12) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "protected record of " + record.fragment().length + " bytes exceeds 2^14 + 2048");
        }
        switch (suite.cipher().kind()) {
            case AEAD:
                return openAead12(crypto, state, suite, record);
            case BLOCK:
                return openBlock12(crypto, state, suite, record);
            default:
                return openStream12(crypto, state, suite, record);
        }
    }

    /**
     * The most bytes one record of {@code plaintextLength} bytes takes when sealed without TLS 1.3 padding: header,
     * explicit nonce or IV, plaintext, then tag, or MAC and CBC padding (RFC 5246 §6.2.3, RFC 8446 §5.2).
     */
    public static int maxSealedLength(ProtectionState state, int plaintextLength) {
        int overhead;
        if (state.isPlaintext()) {
            overhead = 0;
        } else if (state.isTls13()) {
            overhead = 1 + TLS13_TAG_LENGTH;
        } else {
            CipherSuite suite = CipherSuites.require(state.suite());
            BulkCipher bulk = suite.cipher();
            switch (bulk.kind()) {
                case AEAD:
                    overhead = bulk.recordIvLength() + bulk.tagLength();
                    break;
                case BLOCK:
                    // the IV, the MAC, and at most one block of padding (we pad to the next boundary only)
                    overhead = 2 * bulk.blockSize() + suite.mac().length();
                    break;
                default:
                    overhead = suite.mac().length();
            }
        }
        return TlsRecord.HEADER_LENGTH + plaintextLength + overhead;
    }

    /**
     * Protects one record as {@link #seal} does (no padding), reading {@code plaintext}'s remaining bytes (at most
     * 2^14) and writing the record at {@code out}'s position, which needs {@link #maxSealedLength} bytes remaining;
     * both positions move past what was used. For AEAD states (TLS 1.3, TLS 1.2 GCM and ChaCha20-Poly1305) no
     * intermediate array is made: a heap {@code out} is encrypted in place, a direct one through the cipher's buffer
     * API (the proxy's bulk path); other states seal a heap copy. Returns the next state.
     */
    public static ProtectionState sealInto(CryptoProvider crypto, ProtectionState state, ContentType type,
            ByteBuffer plaintext, ByteBuffer out) {
        Objects.requireNonNull(type, "type");
        boolean aead = !state.isPlaintext() && !state.isExhausted() && plaintext.remaining() <= TlsRecord.MAX_PLAINTEXT_LENGTH
                && (state.isTls13() || CipherSuites.require(state.suite()).cipher().kind() == BulkCipher.Kind.AEAD);
        if (!aead) {
            // plaintext, CBC, RC4, and the refusals (exhausted, too long) take the array path and its checks
            byte[] bytes = new byte[plaintext.remaining()];
            plaintext.get(bytes);
            Sealed sealed = seal(crypto, state, type, bytes);
            out.put(sealed.record());
            return sealed.next();
        }
        BulkCipher bulk = CipherSuites.require(state.suite()).cipher();
        try {
            if (state.isTls13()) {
                return sealInto13(crypto, state, bulk, type, plaintext, out);
            }
            return sealIntoAead12(crypto, state, bulk, type, plaintext, out);
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR,
                    "record encryption failed: " + e.getClass().getSimpleName());
        }
    }

    /** {@link #sealAead12} over buffers. */
    private static ProtectionState sealIntoAead12(CryptoProvider crypto, ProtectionState state, BulkCipher bulk,
            ContentType type, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        int length = plaintext.remaining();
        int explicitNonceLength = bulk.recordIvLength();
        ProtocolVersion version = state.recordVersion();
        long seq = state.sequenceNumber();
        byte[] header = new byte[TlsRecord.HEADER_LENGTH + explicitNonceLength];
        TlsRecord.writeHeader(header, 0, type, version, explicitNonceLength + length + bulk.tagLength());
        if (explicitNonceLength > 0) {
            writeLong(header, TlsRecord.HEADER_LENGTH, seq); // RFC 5288 §3: the sequence number, as in sealAead12
        }
        out.put(header);
        Cipher cipher = recordCipher(crypto, state, bulk, Cipher.ENCRYPT_MODE,
                aeadParameters(bulk, nonce12(state, bulk, seq)));
        cipher.updateAAD(pseudoHeader(seq, type, version, length));
        encrypt(cipher, plaintext, null, out);
        return state.advance(0);
    }

    /** {@link #seal13} without padding, over buffers: the inner content type follows the plaintext into the cipher. */
    private static ProtectionState sealInto13(CryptoProvider crypto, ProtectionState state, BulkCipher bulk,
            ContentType type, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        byte[] header = new byte[TlsRecord.HEADER_LENGTH];
        TlsRecord.writeHeader(header, 0, ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                plaintext.remaining() + 1 + TLS13_TAG_LENGTH);
        out.put(header);
        Cipher cipher = recordCipher(crypto, state, bulk, Cipher.ENCRYPT_MODE,
                aeadParameters(bulk, xorSequence(state.fixedIv(), state.sequenceNumber())));
        cipher.updateAAD(header);
        encrypt(cipher, plaintext, type, out);
        return state.advance(0);
    }

    /**
     * Encrypts {@code plaintext} (then the TLS 1.3 inner content type, when given) into {@code out} at its position. A
     * heap {@code out} is encrypted in place in its array: providers that work on arrays (Corretto's AES-GCM copies a
     * direct buffer into a fresh array and back) then neither allocate nor copy more than the plaintext once.
     */
    private static void encrypt(Cipher cipher, ByteBuffer plaintext, ContentType innerType, ByteBuffer out)
            throws GeneralSecurityException {
        if (out.hasArray()) {
            int length = plaintext.remaining() + (innerType == null ? 0 : 1);
            int at = out.arrayOffset() + out.position();
            out.put(plaintext);
            if (innerType != null) {
                out.put((byte) innerType.code());
            }
            int written = cipher.doFinal(out.array(), at, length, out.array(), at);
            out.position(out.position() - length + written);
        } else {
            cipher.update(plaintext, out);
            cipher.doFinal(innerType == null ? ByteBuffer.allocate(0)
                    : ByteBuffer.wrap(new byte[] {(byte) innerType.code()}), out);
        }
    }

    // ---- TLS 1.2 AEAD: RFC 5246 §6.2.3.3, RFC 5288 §3 (GCM), RFC 7905 §2 (ChaCha20-Poly1305) ----

    private static Sealed sealAead12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, ContentType type,
            byte[] plaintext) throws GeneralSecurityException {
        BulkCipher bulk = suite.cipher();
        int explicitNonceLength = bulk.recordIvLength();
        int fragmentLength = explicitNonceLength + plaintext.length + bulk.tagLength();
        ProtocolVersion version = state.recordVersion();
        byte[] out = new byte[TlsRecord.HEADER_LENGTH + fragmentLength];
        TlsRecord.writeHeader(out, 0, type, version, fragmentLength);
        long seq = state.sequenceNumber();
        if (explicitNonceLength > 0) {
            // RFC 5288 §3: the explicit nonce must be distinct per key; the sequence number is, as in most stacks.
            writeLong(out, TlsRecord.HEADER_LENGTH, seq);
        }
        Cipher cipher = recordCipher(crypto, state, bulk, Cipher.ENCRYPT_MODE,
                aeadParameters(bulk, nonce12(state, bulk, seq)));
        cipher.updateAAD(pseudoHeader(seq, type, version, plaintext.length));
        cipher.doFinal(plaintext, 0, plaintext.length, out, TlsRecord.HEADER_LENGTH + explicitNonceLength);
        return new Sealed(state.advance(0), out);
    }

    private static Opened openAead12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, TlsRecord record) {
        BulkCipher bulk = suite.cipher();
        byte[] fragment = record.fragment();
        int explicitNonceLength = bulk.recordIvLength();
        int plaintextLength = fragment.length - explicitNonceLength - bulk.tagLength();
        if (plaintextLength < 0) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        long seq = state.sequenceNumber();
        byte[] nonce;
        if (explicitNonceLength > 0) {
            // RFC 5288 §3: salt from the key block, then the sender's explicit nonce, whatever value it chose.
            nonce = Arrays.copyOf(state.fixedIv(), bulk.fixedIvLength() + explicitNonceLength);
            System.arraycopy(fragment, 0, nonce, bulk.fixedIvLength(), explicitNonceLength);
        } else {
            nonce = nonce12(state, bulk, seq);
        }
        byte[] plaintext = new byte[plaintextLength];
        Cipher cipher = initForOpen(crypto, state, bulk, Cipher.DECRYPT_MODE, aeadParameters(bulk, nonce));
        try {
            cipher.updateAAD(pseudoHeader(seq, record.type(), record.version(), plaintextLength));
            cipher.doFinal(fragment, explicitNonceLength, fragment.length - explicitNonceLength, plaintext, 0);
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        return opened(state.advance(0), record.type(), plaintext);
    }

    /** GCM: salt(4) || explicit nonce(8) = seq; ChaCha20-Poly1305: fixed IV XOR the left-padded sequence number. */
    private static byte[] nonce12(ProtectionState state, BulkCipher bulk, long seq) {
        byte[] nonce;
        if (bulk.recordIvLength() > 0) {
            nonce = Arrays.copyOf(state.fixedIv(), bulk.fixedIvLength() + bulk.recordIvLength());
            writeLong(nonce, bulk.fixedIvLength(), seq);
        } else {
            nonce = xorSequence(state.fixedIv(), seq);
        }
        return nonce;
    }

    // ---- TLS 1.2 CBC, MAC-then-encrypt: RFC 5246 §6.2.3.2 ----

    private static Sealed sealBlock12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, ContentType type,
            byte[] plaintext) throws GeneralSecurityException {
        BulkCipher bulk = suite.cipher();
        MacAlgorithm macAlgorithm = suite.mac();
        int blockSize = bulk.blockSize();
        int macLength = macAlgorithm.length();
        // padding plus its length byte: at least one byte, and the minimum that reaches a block boundary
        int paddingTotal = blockSize - (plaintext.length + macLength) % blockSize;
        int encryptedLength = plaintext.length + macLength + paddingTotal;
        int fragmentLength = blockSize + encryptedLength;
        ProtocolVersion version = state.recordVersion();
        byte[] out = new byte[TlsRecord.HEADER_LENGTH + fragmentLength];
        TlsRecord.writeHeader(out, 0, type, version, fragmentLength);

        // RFC 5246 §6.2.3.2: a fresh, unpredictable IV per record (TLS 1.1+; the BEAST fix).
        byte[] iv = new byte[blockSize];
        crypto.randomBytes(iv);
        int ivAt = TlsRecord.HEADER_LENGTH;
        int dataAt = ivAt + blockSize;
        System.arraycopy(iv, 0, out, ivAt, blockSize);
        System.arraycopy(plaintext, 0, out, dataAt, plaintext.length);

        Mac mac = mac(crypto, state, macAlgorithm);
        mac.update(pseudoHeader(state.sequenceNumber(), type, version, plaintext.length));
        mac.update(plaintext);
        mac.doFinal(out, dataAt + plaintext.length);
        // Each padding byte, and the padding_length byte after them, holds padding_length.
        Arrays.fill(out, dataAt + plaintext.length + macLength, out.length, (byte) (paddingTotal - 1));

        Cipher cipher = recordCipher(crypto, state, bulk, Cipher.ENCRYPT_MODE, new IvParameterSpec(iv));
        cipher.doFinal(out, dataAt, encryptedLength, out, dataAt);
        return new Sealed(state.advance(0), out);
    }

    /**
     * Decrypts and checks padding and MAC in time that does not depend on the padding (Lucky13, AlFardan and Paterson
     * 2013; the countermeasure of Bouncy Castle's TlsBlockCipher / TlsSuiteHMac): a bad padding is treated as no
     * padding and the MAC is still computed, and the compression function runs as often as for the longest
     * plaintext the record could hold, so padding and MAC failures look alike in time and in the one alert they
     * produce. The received MAC is read at a padding-dependent offset, which leaves a cache-timing channel (as
     * in Bouncy Castle); closing it needs a constant-time rotation.
     */
    private static Opened openBlock12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, TlsRecord record) {
        BulkCipher bulk = suite.cipher();
        MacAlgorithm macAlgorithm = suite.mac();
        int blockSize = bulk.blockSize();
        int macLength = macAlgorithm.length();
        byte[] fragment = record.fragment();
        int encryptedLength = fragment.length - blockSize;
        // IV, then at least MAC + 1 padding byte rounded up to whole blocks (RFC 5246 §6.2.3.2: bad_record_mac).
        int minEncrypted = (macLength + 1 + blockSize - 1) / blockSize * blockSize;
        if (encryptedLength < minEncrypted || encryptedLength % blockSize != 0) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        Cipher cipher = initForOpen(crypto, state, bulk, Cipher.DECRYPT_MODE, new IvParameterSpec(fragment, 0, blockSize));
        byte[] decrypted;
        try {
            decrypted = cipher.doFinal(fragment, blockSize, encryptedLength);
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }

        int n = decrypted.length;
        int paddingLength = decrypted[n - 1] & 0xff;
        // At most 256 padding bytes fit the padding_length byte, and they must leave room for the MAC.
        int maxPaddingTotal = Math.min(256, n - macLength);
        int good = ~((maxPaddingTotal - (paddingLength + 1)) >> 31);
        // Look at every byte that could be padding, whatever the claimed length, so the loop leaks nothing.
        for (int i = 1; i <= maxPaddingTotal; i++) {
            int differs = -((decrypted[n - i] & 0xff) ^ paddingLength) >> 31;
            int inPadding = (i - (paddingLength + 2)) >> 31;
            good &= ~(differs & inPadding);
        }
        int paddingTotal = (paddingLength + 1) & good;
        int dataLength = n - macLength - paddingTotal;

        Mac mac = macForOpen(crypto, state, macAlgorithm);
        mac.update(pseudoHeader(state.sequenceNumber(), record.type(), record.version(), dataLength));
        mac.update(decrypted, 0, dataLength);
        byte[] expected = mac.doFinal();
        // Equalise the HMAC's compression-function calls with those for the longest possible data (n - macLength).
        int extraBlocks = hashBlocks(macAlgorithm, PSEUDO_HEADER_LENGTH + n - macLength)
                - hashBlocks(macAlgorithm, PSEUDO_HEADER_LENGTH + dataLength);
        byte[] dummy = new byte[macAlgorithm.hashBlockSize()];
        for (int i = 0; i < extraBlocks; i++) {
            mac.update(dummy);
        }
        // One byte more in case the implementation processes a full buffer lazily, then discard it all.
        mac.update(dummy, 0, 1);
        mac.reset();

        byte[] received = Arrays.copyOfRange(decrypted, dataLength, dataLength + macLength);
        good &= MessageDigest.isEqual(expected, received) ? -1 : 0;
        if (good != -1) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        return opened(state.advance(0), record.type(), Arrays.copyOf(decrypted, dataLength));
    }

    /**
     * The compression-function calls a Merkle-Damgård hash makes for {@code length} bytes, up to a constant: the
     * final padding adds a 0x80 byte and a length field of hashBlockSize / 8 bytes (8 for SHA-1/SHA-256, 16 for
     * SHA-384).
     */
    private static int hashBlocks(MacAlgorithm mac, int length) {
        int blockSize = mac.hashBlockSize();
        return (length + blockSize / 8) / blockSize;
    }

    // ---- TLS 1.2 stream cipher (RC4): RFC 5246 §6.2.3.1, legacy profile only (RFC 7465) ----

    private static Sealed sealStream12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, ContentType type,
            byte[] plaintext) throws GeneralSecurityException {
        MacAlgorithm macAlgorithm = suite.mac();
        int fragmentLength = plaintext.length + macAlgorithm.length();
        ProtocolVersion version = state.recordVersion();
        byte[] out = new byte[TlsRecord.HEADER_LENGTH + fragmentLength];
        TlsRecord.writeHeader(out, 0, type, version, fragmentLength);
        System.arraycopy(plaintext, 0, out, TlsRecord.HEADER_LENGTH, plaintext.length);
        Mac mac = mac(crypto, state, macAlgorithm);
        mac.update(pseudoHeader(state.sequenceNumber(), type, version, plaintext.length));
        mac.update(plaintext);
        mac.doFinal(out, TlsRecord.HEADER_LENGTH + plaintext.length);
        Cipher cipher = streamCipher(crypto, state, suite.cipher(), Cipher.ENCRYPT_MODE);
        cipher.update(out, TlsRecord.HEADER_LENGTH, fragmentLength, out, TlsRecord.HEADER_LENGTH);
        return new Sealed(state.advance(fragmentLength), out);
    }

    private static Opened openStream12(CryptoProvider crypto, ProtectionState state, CipherSuite suite, TlsRecord record) {
        MacAlgorithm macAlgorithm = suite.mac();
        byte[] fragment = record.fragment();
        int dataLength = fragment.length - macAlgorithm.length();
        if (dataLength < 0) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        byte[] decrypted;
        try {
            decrypted = streamCipher(crypto, state, suite.cipher(), Cipher.DECRYPT_MODE).update(fragment);
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "stream cipher setup failed");
        }
        if (decrypted == null || decrypted.length != fragment.length) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "stream cipher returned a short output");
        }
        Mac mac = macForOpen(crypto, state, macAlgorithm);
        mac.update(pseudoHeader(state.sequenceNumber(), record.type(), record.version(), dataLength));
        mac.update(decrypted, 0, dataLength);
        byte[] expected = mac.doFinal();
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(decrypted, dataLength, fragment.length))) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        return opened(state.advance(fragment.length), record.type(), Arrays.copyOf(decrypted, dataLength));
    }

    /**
     * An RC4 cipher positioned {@code streamOffset} bytes into its keystream. The state holds no live cipher, so the
     * keystream is regenerated from the key and discarded up to that point: O(bytes sent so far) per record, which
     * grows without bound over a connection's life. Acceptable only because RC4 is legacy-profile only, for teaching
     * and for testing old clients; never for bulk traffic.
     */
    private static Cipher streamCipher(CryptoProvider crypto, ProtectionState state, BulkCipher bulk, int mode)
            throws GeneralSecurityException {
        Cipher cipher = crypto.cipher(bulk.primitive());
        cipher.init(mode, key(state, bulk));
        long skip = state.streamOffset();
        byte[] scratch = new byte[(int) Math.min(skip, 4096)];
        while (skip > 0) {
            int n = (int) Math.min(skip, scratch.length);
            cipher.update(scratch, 0, n, scratch, 0);
            skip -= n;
        }
        return cipher;
    }

    // ---- TLS 1.3: RFC 8446 §5.2-5.4 ----

    private static Sealed seal13(CryptoProvider crypto, ProtectionState state, CipherSuite suite, ContentType type,
            byte[] plaintext, int paddingLength) throws GeneralSecurityException {
        BulkCipher bulk = suite.cipher();
        // TLSInnerPlaintext: content || ContentType || zeros[padding] (RFC 8446 §5.2)
        int innerLength = plaintext.length + 1 + paddingLength;
        int fragmentLength = innerLength + TLS13_TAG_LENGTH;
        byte[] out = new byte[TlsRecord.HEADER_LENGTH + fragmentLength];
        // The outer type is always application_data and the version 0x0303; this header is the AEAD's additional data.
        TlsRecord.writeHeader(out, 0, ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2, fragmentLength);
        System.arraycopy(plaintext, 0, out, TlsRecord.HEADER_LENGTH, plaintext.length);
        out[TlsRecord.HEADER_LENGTH + plaintext.length] = (byte) type.code();
        Cipher cipher = recordCipher(crypto, state, bulk, Cipher.ENCRYPT_MODE,
                aeadParameters(bulk, xorSequence(state.fixedIv(), state.sequenceNumber())));
        cipher.updateAAD(out, 0, TlsRecord.HEADER_LENGTH);
        cipher.doFinal(out, TlsRecord.HEADER_LENGTH, innerLength, out, TlsRecord.HEADER_LENGTH);
        return new Sealed(state.advance(0), out);
    }

    private static Opened open13(CryptoProvider crypto, ProtectionState state, CipherSuite suite, TlsRecord record) {
        if (!record.type().equals(ContentType.APPLICATION_DATA)) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                    "protected TLS 1.3 record with outer type " + record.type());
        }
        byte[] fragment = record.fragment();
        if (fragment.length > TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS13) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "protected record of " + fragment.length + " bytes exceeds 2^14 + 256");
        }
        if (fragment.length < TLS13_TAG_LENGTH + 1) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        BulkCipher bulk = suite.cipher();
        byte[] header = new byte[TlsRecord.HEADER_LENGTH];
        TlsRecord.writeHeader(header, 0, record.type(), record.version(), fragment.length);
        byte[] inner = new byte[fragment.length - TLS13_TAG_LENGTH];
        Cipher cipher = initForOpen(crypto, state, bulk, Cipher.DECRYPT_MODE,
                aeadParameters(bulk, xorSequence(state.fixedIv(), state.sequenceNumber())));
        try {
            cipher.updateAAD(header);
            cipher.doFinal(fragment, 0, fragment.length, inner, 0);
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, BAD_RECORD_MAC);
        }
        if (inner.length > TLS13_MAX_INNER_LENGTH) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "TLSInnerPlaintext of " + inner.length + " bytes exceeds 2^14 + 1");
        }
        // RFC 8446 §5.4: the content type is the last non-zero byte; padding after it is zeros.
        int typeAt = inner.length - 1;
        while (typeAt >= 0 && inner[typeAt] == 0) {
            typeAt--;
        }
        if (typeAt < 0) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "TLSInnerPlaintext has no content type");
        }
        ContentType type = new ContentType(inner[typeAt] & 0xff);
        if (!type.equals(ContentType.HANDSHAKE) && !type.equals(ContentType.ALERT)
                && !type.equals(ContentType.APPLICATION_DATA)) {
            // RFC 8446 §5: a protected change_cipher_spec, or any unknown type, is unexpected_message.
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "protected record of inner type " + type);
        }
        return opened(state.advance(0), type, Arrays.copyOf(inner, typeAt));
    }

    // ---- shared ----

    private static Opened opened(ProtectionState next, ContentType type, byte[] plaintext) {
        if (plaintext.length > TlsRecord.MAX_PLAINTEXT_LENGTH) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "record plaintext of " + plaintext.length + " bytes exceeds 2^14");
        }
        checkNotEmpty(type, plaintext.length);
        return new Opened(next, type, plaintext);
    }

    /** RFC 5246 §6.2.1, RFC 8446 §5.1: only application data may come in zero-length fragments. */
    private static void checkNotEmpty(ContentType type, int length) {
        if (length == 0 && !type.equals(ContentType.APPLICATION_DATA)) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "zero-length " + type + " fragment");
        }
    }

    private static Cipher initForOpen(CryptoProvider crypto, ProtectionState state, BulkCipher bulk, int mode,
            AlgorithmParameterSpec parameters) {
        try {
            return recordCipher(crypto, state, bulk, mode, parameters);
        } catch (GeneralSecurityException e) {
            // The key and nonce come from our own state: a failure here is ours, not the peer's.
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "record cipher setup failed");
        }
    }

    /** The provider's reusable record cipher, initialized for one record ({@link ReusedCiphers}). */
    private static Cipher recordCipher(CryptoProvider crypto, ProtectionState state, BulkCipher bulk, int mode,
            AlgorithmParameterSpec parameters) throws GeneralSecurityException {
        return ReusedCiphers.initialized(crypto, bulk.primitive(), state.key(), keyAlgorithm(bulk), mode, parameters);
    }

    private static Mac macForOpen(CryptoProvider crypto, ProtectionState state, MacAlgorithm macAlgorithm) {
        try {
            return mac(crypto, state, macAlgorithm);
        } catch (GeneralSecurityException e) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "record MAC setup failed");
        }
    }

    private static Mac mac(CryptoProvider crypto, ProtectionState state, MacAlgorithm macAlgorithm)
            throws GeneralSecurityException {
        Mac mac = crypto.mac(macAlgorithm.primitive());
        mac.init(new SecretKeySpec(state.macKey().bytes(), macAlgorithm.primitive().algorithm()));
        return mac;
    }

    private static SecretKeySpec key(ProtectionState state, BulkCipher bulk) {
        return new SecretKeySpec(state.key().bytes(), keyAlgorithm(bulk));
    }

    private static String keyAlgorithm(BulkCipher bulk) {
        switch (bulk) {
            case CHACHA20_POLY1305:
                return "ChaCha20";
            case TRIPLE_DES_EDE_CBC:
                return "DESede";
            case RC4_128:
                return "RC4";
            default:
                return "AES";
        }
    }

    private static AlgorithmParameterSpec aeadParameters(BulkCipher bulk, byte[] nonce) {
        return bulk == BulkCipher.CHACHA20_POLY1305 ? new IvParameterSpec(nonce)
                : new GCMParameterSpec(bulk.tagLength() * 8, nonce);
    }

    /** RFC 8446 §5.3 / RFC 7905 §2: the 64-bit sequence number, left-padded to the IV length, XORed into the IV. */
    private static byte[] xorSequence(byte[] iv, long seq) {
        byte[] nonce = iv; // fixedIv() already returned a copy
        int at = nonce.length - 8;
        for (int i = 0; i < 8; i++) {
            nonce[at + i] ^= (byte) (seq >>> (56 - 8 * i));
        }
        return nonce;
    }

    /** seq_num + type + version + length: the MAC input prefix (RFC 5246 §6.2.3.1) and AEAD additional data (§6.2.3.3). */
    private static byte[] pseudoHeader(long seq, ContentType type, ProtocolVersion version, int length) {
        byte[] out = new byte[PSEUDO_HEADER_LENGTH];
        writeLong(out, 0, seq);
        TlsRecord.writeHeader(out, 8, type, version, length);
        return out;
    }

    private static void writeLong(byte[] out, int at, long v) {
        for (int i = 0; i < 8; i++) {
            out[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }
}
