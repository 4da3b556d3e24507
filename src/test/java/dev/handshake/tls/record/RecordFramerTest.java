package dev.handshake.tls.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFramerTest {

    private static byte[] header(int type, int version, int length) {
        return new byte[] {(byte) type, (byte) (version >>> 8), (byte) version, (byte) (length >>> 8), (byte) length};
    }

    private static void assertAlert(Runnable call, AlertDescription alert) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TlsAlertException.class,
                e -> assertThat(e.alert()).isEqualTo(alert));
    }

    @Test
    void emptyBufferGivesNoRecordAndNoRemainder() {
        RecordFramer.Framed framed = RecordFramer.split(Bytes.EMPTY, false);
        assertThat(framed.records()).isEmpty();
        assertThat(framed.remainder()).isEmpty();
    }

    @Test
    void splitsSeveralRecordsInOneBuffer() {
        TlsRecord first = new TlsRecord(ContentType.HANDSHAKE, ProtocolVersion.TLS1_0, Bytes.fromHex("0e000000"));
        TlsRecord second = new TlsRecord(ContentType.CHANGE_CIPHER_SPEC, ProtocolVersion.TLS1_2, new byte[] {1});
        TlsRecord third = new TlsRecord(ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2, Bytes.EMPTY);
        byte[] buffer = Bytes.concat(first.encode(), second.encode(), third.encode());

        RecordFramer.Framed framed = RecordFramer.split(buffer, false);

        assertThat(framed.records()).containsExactly(first, second, third);
        assertThat(framed.remainder()).isEmpty();
    }

    @Test
    void keepsPartialHeaderAsRemainder() {
        TlsRecord whole = new TlsRecord(ContentType.ALERT, ProtocolVersion.TLS1_2, new byte[] {2, 40});
        byte[] buffer = Bytes.concat(whole.encode(), Bytes.fromHex("160303"));

        RecordFramer.Framed framed = RecordFramer.split(buffer, false);

        assertThat(framed.records()).containsExactly(whole);
        assertThat(framed.remainder()).containsExactly(Bytes.fromHex("160303"));
    }

    @Test
    void keepsPartialBodyAsRemainderAndCompletesItLater() {
        byte[] record = new TlsRecord(ContentType.HANDSHAKE, ProtocolVersion.TLS1_2, new byte[100]).encode();
        byte[] partial = java.util.Arrays.copyOf(record, 60);

        RecordFramer.Framed framed = RecordFramer.split(partial, false);
        assertThat(framed.records()).isEmpty();
        assertThat(framed.remainder()).isEqualTo(partial);

        byte[] rest = java.util.Arrays.copyOfRange(record, 60, record.length);
        RecordFramer.Framed completed = RecordFramer.split(Bytes.concat(framed.remainder(), rest), false);
        assertThat(completed.records()).hasSize(1);
        assertThat(completed.records().get(0).fragment()).hasSize(100);
        assertThat(completed.remainder()).isEmpty();
    }

    @Test
    void acceptsPlaintextRecordOfExactly2to14() {
        byte[] buffer = header(23, 0x0303, 1 << 14);
        assertThat(RecordFramer.split(buffer, false).remainder()).isEqualTo(buffer);
    }

    @Test
    void rejectsPlaintextRecordOver2to14FromTheHeaderAlone() {
        assertAlert(() -> RecordFramer.split(header(22, 0x0303, (1 << 14) + 1), false), AlertDescription.RECORD_OVERFLOW);
    }

    @Test
    void acceptsProtectedTls12RecordOfExactly2to14Plus2048() {
        byte[] buffer = header(23, 0x0303, (1 << 14) + 2048);
        assertThat(RecordFramer.split(buffer, true).remainder()).isEqualTo(buffer);
    }

    @Test
    void rejectsProtectedTls12RecordOver2to14Plus2048() {
        assertAlert(() -> RecordFramer.split(header(23, 0x0303, (1 << 14) + 2049), true), AlertDescription.RECORD_OVERFLOW);
    }

    @Test
    void rejectsProtectedTls13RecordOver2to14Plus256() {
        byte[] atLimit = header(23, 0x0303, TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS13);
        assertThat(RecordFramer.split(atLimit, TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS13).remainder()).isEqualTo(atLimit);
        assertAlert(() -> RecordFramer.split(header(23, 0x0303, (1 << 14) + 257), TlsRecord.MAX_CIPHERTEXT_LENGTH_TLS13),
                AlertDescription.RECORD_OVERFLOW);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 19, 24, 25, 0x7f})
    void rejectsUnknownContentTypeFromTheFirstByte(int type) {
        assertAlert(() -> RecordFramer.split(new byte[] {(byte) type}, false), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0x0200, 0x0403, 0xfe03})
    void rejectsRecordVersionWhoseMajorByteIsNot3(int version) {
        byte[] firstTwo = java.util.Arrays.copyOf(header(22, version, 5), 2);
        assertAlert(() -> RecordFramer.split(firstTwo, false), AlertDescription.DECODE_ERROR);
    }

    @Test
    void acceptsAnyMinorVersionBecauseRfc8446IgnoresIt() {
        byte[] record = Bytes.concat(header(22, 0x0300, 1), new byte[] {1});
        assertThat(RecordFramer.split(record, false).records()).hasSize(1);
    }

    @Test
    void rejectsSslv2FormatClientHelloWithAClearReason() {
        // msg_length 0x8031 (high bit set), msg_type 1 = client_hello, version 3.1: an SSLv2-compatible hello.
        byte[] sslv2 = Bytes.fromHex("803101030100180000001000");
        assertThatThrownBy(() -> RecordFramer.split(sslv2, false)).isInstanceOfSatisfying(TlsAlertException.class, e -> {
            assertThat(e.alert()).isEqualTo(AlertDescription.DECODE_ERROR);
            assertThat(e.reason()).contains("SSLv2");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 21, 22})
    void rejectsZeroLengthFragmentsOfHandshakeAlertAndChangeCipherSpec(int type) {
        assertAlert(() -> RecordFramer.split(header(type, 0x0303, 0), false), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void acceptsZeroLengthApplicationData() {
        RecordFramer.Framed framed = RecordFramer.split(header(23, 0x0303, 0), false);
        assertThat(framed.records()).containsExactly(new TlsRecord(ContentType.APPLICATION_DATA, ProtocolVersion.TLS1_2, Bytes.EMPTY));
    }

    @Test
    void rejectsABadSecondRecordEvenWhenTheFirstIsFine() {
        byte[] good = new TlsRecord(ContentType.HANDSHAKE, ProtocolVersion.TLS1_2, new byte[] {1}).encode();
        assertAlert(() -> RecordFramer.split(Bytes.concat(good, new byte[] {99}), false), AlertDescription.UNEXPECTED_MESSAGE);
    }

    @Test
    void checkHeaderReportsTheFragmentLengthOnceTheHeaderIsComplete() {
        byte[] h = header(22, 0x0303, 300);
        assertThat(RecordFramer.checkHeader(h, 0, 4, TlsRecord.MAX_PLAINTEXT_LENGTH)).isEqualTo(-1);
        assertThat(RecordFramer.checkHeader(h, 0, 5, TlsRecord.MAX_PLAINTEXT_LENGTH)).isEqualTo(300);
    }

    @Test
    void encodeWritesTheFiveByteHeaderThenTheFragment() {
        TlsRecord record = new TlsRecord(ContentType.HANDSHAKE, ProtocolVersion.TLS1_0, Bytes.fromHex("0102"));
        assertThat(Bytes.hex(record.encode())).isEqualTo("16030100020102");
    }
}
