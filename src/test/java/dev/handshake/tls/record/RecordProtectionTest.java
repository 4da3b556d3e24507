package dev.handshake.tls.record;

import static dev.handshake.tls.record.RecordFixtures.assertAlert;
import static dev.handshake.tls.record.RecordFixtures.bytes;
import static dev.handshake.tls.record.RecordFixtures.randomState;
import static dev.handshake.tls.record.RecordFixtures.reflectiveCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordProtectionTest {

    private final CryptoProvider crypto = RecordFixtures.provider();
    private final Random random = new Random(7);

    static Stream<CipherSuite> allSuites() {
        return CipherSuites.all().stream();
    }

    static Stream<CipherSuite> cbcSuites() {
        return CipherSuites.all().stream().filter(s -> s.cipher().blockSize() > 0);
    }

    private static TlsRecord parse(byte[] record) {
        RecordFramer.Framed framed = RecordFramer.split(record, TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS12);
        assertThat(framed.records()).hasSize(1);
        assertThat(framed.remainder()).isEmpty();
        return framed.records().get(0);
    }

    // ---- every suite ----

    @ParameterizedTest
    @MethodSource("allSuites")
    void roundTripsRecordsOfEveryTypeAndSize(CipherSuite suite) {
        ProtectionState writer = randomState(suite, random);
        ProtectionState reader = writer;
        List<byte[]> plaintexts = List.of(Bytes.EMPTY, new byte[] {1}, bytes(random, 100), bytes(random, 1 << 14));
        List<ContentType> types = List.of(ContentType.APPLICATION_DATA, ContentType.ALERT, ContentType.HANDSHAKE,
                ContentType.APPLICATION_DATA);
        for (int i = 0; i < plaintexts.size(); i++) {
            RecordProtection.Sealed sealed = RecordProtection.seal(crypto, writer, types.get(i), plaintexts.get(i));
            TlsRecord record = parse(sealed.record());
            assertThat(record.version()).isEqualTo(ProtocolVersion.TLS1_2);
            assertThat(record.type()).isEqualTo(suite.isTls13() ? ContentType.APPLICATION_DATA : types.get(i));

            RecordProtection.Opened opened = RecordProtection.open(crypto, reader, record);

            assertThat(opened.type()).isEqualTo(types.get(i));
            assertThat(opened.plaintext()).isEqualTo(plaintexts.get(i));
            writer = sealed.next();
            reader = opened.next();
            assertThat(reader).isEqualTo(writer);
            assertThat(writer.sequenceNumber()).isEqualTo(i + 1);
        }
    }

    @ParameterizedTest
    @MethodSource("allSuites")
    void flippingAnyBitOfTheFragmentFailsWithBadRecordMac(CipherSuite suite) {
        ProtectionState state = randomState(suite, random);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.HANDSHAKE, bytes(random, 37)).record();
        for (int bit = TlsRecord.HEADER_LENGTH * 8; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            TlsRecord record = parse(tampered);
            assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.BAD_RECORD_MAC);
        }
    }

    @ParameterizedTest
    @MethodSource("allSuites")
    void aRecordOpenedOutOfOrderFailsWithBadRecordMac(CipherSuite suite) {
        ProtectionState state = randomState(suite, random);
        RecordProtection.Sealed first = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[20]);
        RecordProtection.Sealed second = RecordProtection.seal(crypto, first.next(), ContentType.APPLICATION_DATA, new byte[20]);
        assertAlert(() -> RecordProtection.open(crypto, state, parse(second.record())), AlertDescription.BAD_RECORD_MAC);
    }

    @ParameterizedTest
    @MethodSource("allSuites")
    void aStateSurvivesAReflectiveCopyBetweenRecords(CipherSuite suite) {
        ProtectionState writer = randomState(suite, random);
        ProtectionState reader = writer;
        for (int i = 0; i < 3; i++) {
            RecordProtection.Sealed sealed = RecordProtection.seal(crypto, writer, ContentType.APPLICATION_DATA,
                    bytes(random, 50 + i));
            reader = reflectiveCopy(RecordProtection.open(crypto, reflectiveCopy(reader), parse(sealed.record())).next());
            writer = reflectiveCopy(sealed.next());
        }
        assertThat(reader).isEqualTo(writer);
    }

    // ---- the plaintext state ----

    @Test
    void thePlaintextStateFramesWithoutProtectionAndKeepsItsVersion() {
        ProtectionState initial = ProtectionState.plaintext(ProtocolVersion.TLS1_0);
        RecordProtection.Sealed sealed = RecordProtection.seal(crypto, initial, ContentType.HANDSHAKE, Bytes.fromHex("0e000000"));
        assertThat(Bytes.hex(sealed.record())).isEqualTo("16030100040e000000");
        RecordProtection.Opened opened = RecordProtection.open(crypto, initial, parse(sealed.record()));
        assertThat(opened.plaintext()).containsExactly(Bytes.fromHex("0e000000"));
        assertThat(opened.type()).isEqualTo(ContentType.HANDSHAKE);
    }

    @Test
    void sealRefusesMoreThan2to14BytesOfPlaintext() {
        ProtectionState state = randomState(CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256), random);
        assertAlert(() -> RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[(1 << 14) + 1]),
                AlertDescription.INTERNAL_ERROR);
        assertAlert(() -> RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[1 << 14], 1),
                AlertDescription.INTERNAL_ERROR);
        assertAlert(() -> RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[10], Integer.MAX_VALUE),
                AlertDescription.INTERNAL_ERROR);
    }

    @Test
    void aStateRefusesASuiteOfTheOtherVersion() {
        ProtectionState tls13 = randomState(CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256), random);
        assertThatThrownBy(() -> new ProtectionState(tls13.suite(), ProtocolVersion.TLS1_2, tls13.key(), null,
                tls13.fixedIv(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        ProtectionState tls12 = randomState(CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256), random);
        assertThatThrownBy(() -> new ProtectionState(tls12.suite(), ProtocolVersion.TLS1_3, tls12.key(), null,
                tls12.fixedIv(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStateNeverShowsItsKeysInText() {
        ProtectionState state = randomState(CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA), random);
        String text = state.toString();
        assertThat(text).contains("redacted").doesNotContain(Bytes.hex(state.key().bytes()))
                .doesNotContain(Bytes.hex(state.macKey().bytes()));
    }

    // ---- sequence number limit ----

    @ParameterizedTest
    @MethodSource("allSuites")
    void sequenceNumbersNeverWrap(CipherSuite suite) {
        ProtectionState nearLimit = randomState(suite, random).withSequenceNumber(-2L); // 2^64 - 2
        RecordProtection.Sealed last = RecordProtection.seal(crypto, nearLimit, ContentType.APPLICATION_DATA, new byte[8]);
        assertThat(RecordProtection.open(crypto, nearLimit, parse(last.record())).next().isExhausted()).isTrue();
        assertThat(Long.toUnsignedString(last.next().sequenceNumber())).isEqualTo("18446744073709551615");

        assertAlert(() -> RecordProtection.seal(crypto, last.next(), ContentType.APPLICATION_DATA, new byte[8]),
                AlertDescription.INTERNAL_ERROR);
        assertAlert(() -> RecordProtection.open(crypto, last.next(), parse(last.record())), AlertDescription.BAD_RECORD_MAC);
    }

    // ---- CBC: padding and MAC checks (RFC 5246 §6.2.3.2) ----

    /** A CBC record built by hand: IV || E(data || mac || padding), so each part can be made wrong on purpose. */
    private static TlsRecord cbcRecord(ProtectionState state, CipherSuite suite, ContentType type, byte[] data,
            byte[] mac, byte[] padding) throws Exception {
        int blockSize = suite.cipher().blockSize();
        byte[] iv = new byte[blockSize];
        Arrays.fill(iv, (byte) 0x5a);
        Cipher cipher = Cipher.getInstance(suite.cipher().primitive().algorithm());
        String keyAlgorithm = blockSize == 8 ? "DESede" : "AES";
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(state.key().bytes(), keyAlgorithm), new IvParameterSpec(iv));
        byte[] encrypted = cipher.doFinal(Bytes.concat(data, mac, padding));
        return new TlsRecord(type, ProtocolVersion.TLS1_2, Bytes.concat(iv, encrypted));
    }

    private static byte[] recordMac(ProtectionState state, CipherSuite suite, ContentType type, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(suite.mac().primitive().algorithm());
        mac.init(new SecretKeySpec(state.macKey().bytes(), mac.getAlgorithm()));
        mac.update(new byte[8]); // sequence number 0
        mac.update(new byte[] {(byte) type.code(), 3, 3, (byte) (data.length >>> 8), (byte) data.length});
        return mac.doFinal(data);
    }

    private static byte[] padding(int total) {
        byte[] p = new byte[total];
        Arrays.fill(p, (byte) (total - 1));
        return p;
    }

    private static int paddingToBlock(CipherSuite suite, int dataLength, int extraBlocks) {
        int blockSize = suite.cipher().blockSize();
        return blockSize - (dataLength + suite.mac().length()) % blockSize + extraBlocks * blockSize;
    }

    @ParameterizedTest
    @MethodSource("cbcSuites")
    void cbcAcceptsAHandBuiltRecordWithMaximalPadding(CipherSuite suite) throws Exception {
        ProtectionState state = randomState(suite, random);
        byte[] data = bytes(random, 10);
        int blockSize = suite.cipher().blockSize();
        int total = paddingToBlock(suite, data.length, 0);
        total += (256 - total) / blockSize * blockSize; // RFC 5246 §6.2.3.2 allows up to 255 + 1 bytes
        TlsRecord record = cbcRecord(state, suite, ContentType.APPLICATION_DATA, data,
                recordMac(state, suite, ContentType.APPLICATION_DATA, data), padding(total));

        assertThat(RecordProtection.open(crypto, state, record).plaintext()).isEqualTo(data);
    }

    @ParameterizedTest
    @MethodSource("cbcSuites")
    void cbcBadPaddingAndBadMacGiveTheSameBadRecordMac(CipherSuite suite) throws Exception {
        ProtectionState state = randomState(suite, random);
        byte[] data = bytes(random, 40);
        byte[] mac = recordMac(state, suite, ContentType.APPLICATION_DATA, data);
        int total = paddingToBlock(suite, data.length, 2);

        byte[] wrongByte = padding(total);
        wrongByte[0] ^= 1;
        byte[] tooLong = padding(total);
        tooLong[total - 1] = (byte) 255; // claims more padding than the record holds
        byte[] badMac = mac.clone();
        badMac[3] ^= 0x40;

        List<TlsRecord> broken = List.of(
                cbcRecord(state, suite, ContentType.APPLICATION_DATA, data, mac, wrongByte),
                cbcRecord(state, suite, ContentType.APPLICATION_DATA, data, mac, tooLong),
                cbcRecord(state, suite, ContentType.APPLICATION_DATA, data, badMac, padding(total)),
                cbcRecord(state, suite, ContentType.HANDSHAKE, data, mac, padding(total))); // MAC over another type
        String reason = null;
        for (TlsRecord record : broken) {
            TlsAlertException e = (TlsAlertException) org.assertj.core.api.Assertions
                    .catchThrowable(() -> RecordProtection.open(crypto, state, record));
            assertThat(e).isNotNull();
            assertThat(e.alert()).isEqualTo(AlertDescription.BAD_RECORD_MAC);
            reason = reason == null ? e.reason() : reason;
            assertThat(e.reason()).isEqualTo(reason);
        }
        // and the same parts, correct, open
        assertThat(RecordProtection.open(crypto, state,
                cbcRecord(state, suite, ContentType.APPLICATION_DATA, data, mac, padding(total))).plaintext()).isEqualTo(data);
    }

    @ParameterizedTest
    @MethodSource("cbcSuites")
    void cbcFragmentsTooShortForIvMacAndPaddingFailWithBadRecordMac(CipherSuite suite) {
        ProtectionState state = randomState(suite, random);
        int blockSize = suite.cipher().blockSize();
        int minEncrypted = (suite.mac().length() + 1 + blockSize - 1) / blockSize * blockSize;
        for (int length : new int[] {1, blockSize, blockSize + minEncrypted - blockSize, blockSize + minEncrypted + 1}) {
            TlsRecord record = new TlsRecord(ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2, new byte[length]);
            assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.BAD_RECORD_MAC);
        }
    }

    @Test
    void cbcRecordsUseAFreshRandomIvEachTime() {
        ProtectionState state = randomState(CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA), random);
        byte[] a = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[16]).record();
        byte[] b = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[16]).record();
        assertThat(Arrays.copyOfRange(a, 5, 21)).isNotEqualTo(Arrays.copyOfRange(b, 5, 21));
    }

    @Test
    void cbcPlaintextOver2to14FailsWithRecordOverflowOnceAuthenticated() throws Exception {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA256);
        ProtectionState state = randomState(suite, random);
        byte[] data = new byte[(1 << 14) + 1];
        TlsRecord record = cbcRecord(state, suite, ContentType.APPLICATION_DATA, data,
                recordMac(state, suite, ContentType.APPLICATION_DATA, data), padding(paddingToBlock(suite, data.length, 0)));
        assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.RECORD_OVERFLOW);
    }

    // ---- TLS 1.2 AEAD ----

    @Test
    void gcmUsesTheSequenceNumberAsExplicitNonce() {
        ProtectionState state = randomState(CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), random)
                .withSequenceNumber(0x0102030405060708L);
        byte[] record = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[3]).record();
        assertThat(Bytes.hex(Arrays.copyOfRange(record, 5, 13))).isEqualTo("0102030405060708");
        assertThat(record).hasSize(5 + 8 + 3 + 16);
    }

    @Test
    void gcmPlaintextOver2to14FailsWithRecordOverflowOnceAuthenticated() throws Exception {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        ProtectionState state = randomState(suite, random);
        byte[] data = new byte[(1 << 14) + 1];
        byte[] explicit = new byte[8];
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(state.key().bytes(), "AES"),
                new GCMParameterSpec(128, Bytes.concat(state.fixedIv(), explicit)));
        gcm.updateAAD(Bytes.concat(new byte[8], Bytes.fromHex("170303"), Bytes.u16(data.length)));
        TlsRecord record = new TlsRecord(ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                Bytes.concat(explicit, gcm.doFinal(data)));
        assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.RECORD_OVERFLOW);
    }

    @Test
    void aeadFragmentShorterThanNonceAndTagFailsWithBadRecordMac() {
        for (CipherSuiteId id : List.of(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuiteId.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuiteId.TLS_AES_128_GCM_SHA256)) {
            ProtectionState state = randomState(CipherSuites.require(id), random);
            for (int length : new int[] {1, 15, 16}) {
                TlsRecord record = new TlsRecord(ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2, new byte[length]);
                assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.BAD_RECORD_MAC);
            }
        }
    }

    @Test
    void decryptedZeroLengthHandshakeFragmentIsUnexpectedMessage() {
        for (CipherSuiteId id : List.of(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256, CipherSuiteId.TLS_AES_128_GCM_SHA256,
                CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA)) {
            ProtectionState state = randomState(CipherSuites.require(id), random);
            byte[] sealed = RecordProtection.seal(crypto, state, ContentType.HANDSHAKE, Bytes.EMPTY).record();
            assertAlert(() -> RecordProtection.open(crypto, state, parse(sealed)), AlertDescription.UNEXPECTED_MESSAGE);
        }
    }

    // ---- RC4: the keystream position is data ----

    @Test
    void rc4KeystreamPositionSurvivesASerializationRoundTrip() {
        CipherSuite suite = CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_RC4_128_SHA);
        ProtectionState writer = randomState(suite, random);
        ProtectionState reader = writer;
        for (int i = 0; i < 3; i++) {
            RecordProtection.Sealed sealed = RecordProtection.seal(crypto, writer, ContentType.APPLICATION_DATA, new byte[100]);
            reader = RecordProtection.open(crypto, reader, parse(sealed.record())).next();
            writer = sealed.next();
        }
        assertThat(writer.streamOffset()).isEqualTo(3 * (100 + 20));

        ProtectionState movedWriter = reflectiveCopy(writer);
        ProtectionState movedReader = reflectiveCopy(reader);
        byte[] message = "continues on another node".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] fromOriginal = RecordProtection.seal(crypto, writer, ContentType.APPLICATION_DATA, message).record();
        byte[] fromCopy = RecordProtection.seal(crypto, movedWriter, ContentType.APPLICATION_DATA, message).record();

        assertThat(fromCopy).isEqualTo(fromOriginal);
        assertThat(RecordProtection.open(crypto, movedReader, parse(fromCopy)).plaintext()).isEqualTo(message);
        // a reader that lost its keystream position cannot read the record
        ProtectionState rewound = new ProtectionState(reader.suite(), reader.version(), reader.key(), reader.macKey(),
                reader.fixedIv(), reader.sequenceNumber(), 0);
        assertAlert(() -> RecordProtection.open(crypto, rewound, parse(fromCopy)), AlertDescription.BAD_RECORD_MAC);
    }

    // ---- TLS 1.3 ----

    private final CipherSuite aes128Tls13 = CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256);

    @Test
    void tls13PaddingIsAddedOnSealAndStrippedOnOpen() {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] plaintext = bytes(random, 33);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.HANDSHAKE, plaintext, 200).record();
        assertThat(sealed).hasSize(5 + 33 + 1 + 200 + 16);

        RecordProtection.Opened opened = RecordProtection.open(crypto, state, parse(sealed));
        assertThat(opened.type()).isEqualTo(ContentType.HANDSHAKE);
        assertThat(opened.plaintext()).isEqualTo(plaintext);
    }

    @Test
    void tls13PaddingMayFillTheWholeRecord() {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, Bytes.EMPTY, 1 << 14).record();
        RecordProtection.Opened opened = RecordProtection.open(crypto, state, parse(sealed));
        assertThat(opened.type()).isEqualTo(ContentType.APPLICATION_DATA);
        assertThat(opened.plaintext()).isEmpty();
    }

    @Test
    void tls13PaddingIsRefusedForTls12States() {
        ProtectionState state = randomState(CipherSuites.require(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256), random);
        assertThatThrownBy(() -> RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[1], 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tls13InnerPlaintextOfZerosOnlyIsUnexpectedMessage() {
        ProtectionState state = randomState(aes128Tls13, random);
        // content type 0 after zero content: no non-zero byte anywhere in TLSInnerPlaintext
        byte[] sealed = RecordProtection.seal(crypto, state, new ContentType(0), new byte[5], 10).record();
        assertAlert(() -> RecordProtection.open(crypto, state, parse(sealed)), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void tls13ProtectedChangeCipherSpecIsUnexpectedMessage() {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.CHANGE_CIPHER_SPEC, new byte[] {1}).record();
        assertAlert(() -> RecordProtection.open(crypto, state, parse(sealed)), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void tls13OuterTypeOtherThanApplicationDataIsUnexpectedMessage() {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.HANDSHAKE, new byte[4]).record();
        TlsRecord record = parse(sealed);
        TlsRecord relabelled = new TlsRecord(ContentType.HANDSHAKE, record.version(), record.fragment());
        assertAlert(() -> RecordProtection.open(crypto, state, relabelled), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void tls13InnerPlaintextOver2to14Plus1IsRecordOverflow() throws Exception {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] inner = new byte[(1 << 14) + 2];
        inner[inner.length - 1] = 23;
        int fragmentLength = inner.length + 16;
        byte[] header = Bytes.concat(Bytes.fromHex("170303"), Bytes.u16(fragmentLength));
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(state.key().bytes(), "AES"), new GCMParameterSpec(128, state.fixedIv()));
        gcm.updateAAD(header);
        TlsRecord record = parse(Bytes.concat(header, gcm.doFinal(inner)));
        assertAlert(() -> RecordProtection.open(crypto, state, record), AlertDescription.RECORD_OVERFLOW);
    }

    @Test
    void tls13RecordHeaderIsAuthenticated() {
        ProtectionState state = randomState(aes128Tls13, random);
        byte[] sealed = RecordProtection.seal(crypto, state, ContentType.APPLICATION_DATA, new byte[4]).record();
        sealed[2] = 0x01; // legacy_record_version 0x0301 instead of 0x0303
        assertAlert(() -> RecordProtection.open(crypto, state, parse(sealed)), AlertDescription.BAD_RECORD_MAC);
    }

    // ---- RFC 8448 §3: TLS 1.3 record protection known answers ----

    private final Rfc8448Trace trace = Rfc8448Trace.simple1Rtt();

    private ProtectionState traceState(String keysStep) {
        return ProtectionState.tls13(aes128Tls13, new Secret(trace.value(keysStep, "key expanded")),
                trace.value(keysStep, "iv expanded"));
    }

    /** Seals the step's payload and checks the result is the trace's complete record, then opens it back. */
    private ProtectionState assertKnownAnswer(ProtectionState state, String step, ContentType type) {
        byte[] payload = trace.value(step, "payload");
        byte[] expected = trace.value(step, "complete record");

        RecordProtection.Sealed sealed = RecordProtection.seal(crypto, state, type, payload);
        assertThat(Bytes.hex(sealed.record())).as(step).isEqualTo(Bytes.hex(expected));

        RecordProtection.Opened opened = RecordProtection.open(crypto, state, parse(expected));
        assertThat(opened.type()).isEqualTo(type);
        assertThat(opened.plaintext()).isEqualTo(payload);
        assertThat(opened.next()).isEqualTo(sealed.next());
        return sealed.next();
    }

    @Test
    void reproducesTheServerEncryptedExtensionsToFinishedRecordOfRfc8448() {
        ProtectionState serverHandshake = traceState("{server}  derive write traffic keys for handshake data:");
        // the record that follows ServerHello: EncryptedExtensions, Certificate, CertificateVerify, Finished
        byte[] payload = trace.value("{server}  construct a Finished handshake message:", "payload");
        assertThat(payload).hasSize(657);
        assertThat(Arrays.copyOf(payload, 40)).isEqualTo(trace.value("{server}  construct an EncryptedExtensions", "EncryptedExtensions"));
        assertKnownAnswer(serverHandshake, "{server}  construct a Finished handshake message:", ContentType.HANDSHAKE);
    }

    @Test
    void reproducesTheClientFinishedRecordOfRfc8448() {
        ProtectionState clientHandshake = traceState("{server}  derive read traffic keys for handshake data:");
        assertKnownAnswer(clientHandshake, "{client}  construct a Finished handshake message:", ContentType.HANDSHAKE);
    }

    @Test
    void reproducesTheApplicationTrafficRecordsOfRfc8448InSequence() {
        ProtectionState server = traceState("{server}  derive write traffic keys for application data:");
        server = assertKnownAnswer(server, "{server}  construct a NewSessionTicket handshake message:", ContentType.HANDSHAKE);
        server = assertKnownAnswer(server, "{server}  send application_data record:", ContentType.APPLICATION_DATA);
        server = assertKnownAnswer(server, "{server}  send alert record:", ContentType.ALERT);
        assertThat(server.sequenceNumber()).isEqualTo(3);

        ProtectionState client = traceState("{client}  derive write traffic keys for application data:");
        client = assertKnownAnswer(client, "{client}  send application_data record:", ContentType.APPLICATION_DATA);
        client = assertKnownAnswer(client, "{client}  send alert record:", ContentType.ALERT);
        assertThat(client.sequenceNumber()).isEqualTo(2);
    }

    // ---- the fuzz corpus reaches the success path ----

    @Test
    void theCommittedOpenSeedsAreRecordsTheFixedFuzzStatesAccept() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(getClass()
                .getResource("RecordLayerFuzzTestInputs/recordProtectionOpen").toURI());
        List<ProtectionState> states = List.of(RecordLayerFuzzTest.GCM, RecordLayerFuzzTest.CBC, RecordLayerFuzzTest.TLS13,
                ProtectionState.plaintext());
        // the hand-written seeds are named for the state they target; inputs the fuzzer found (named by their hash)
        // are only replayed by RecordLayerFuzzTest, which accepts their failing with an alert
        try (Stream<java.nio.file.Path> seeds = java.nio.file.Files.list(dir)
                .filter(seed -> seed.getFileName().toString().matches("(gcm|cbc|tls13|plaintext)-.+"))) {
            assertThat(seeds).hasSizeGreaterThanOrEqualTo(5).allSatisfy(seed -> {
                byte[] input = java.nio.file.Files.readAllBytes(seed);
                ContentType type = new ContentType(20 + ((input[0] & 0xff) >>> 2) % 4);
                TlsRecord record = new TlsRecord(type, ProtocolVersion.TLS1_2, Arrays.copyOfRange(input, 1, input.length));
                assertThat(RecordProtection.open(crypto, states.get(input[0] & 3), record).plaintext()).isNotEmpty();
            });
        }
    }
}
