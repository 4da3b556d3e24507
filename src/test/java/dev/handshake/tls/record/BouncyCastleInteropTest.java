package dev.handshake.tls.record;

import static dev.handshake.tls.record.RecordFixtures.assertAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ContentType;
import java.security.SecureRandom;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS 1.2 record protection against Bouncy Castle's implementation: each side opens what the other sealed, with the
 * same keys and sequence numbers, in both roles. Every TLS 1.2 suite Bouncy Castle still implements (all but RC4).
 */
class BouncyCastleInteropTest {

    private final CryptoProvider crypto = RecordFixtures.provider();
    private final Random random = new Random(11);

    static Stream<Arguments> suitesAndRoles() {
        return CipherSuites.all().stream()
                .filter(s -> !s.isTls13() && s.cipher() != dev.handshake.tls.suite.BulkCipher.RC4_128)
                .flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    private static TlsRecord parse(byte[] record) {
        return RecordFramer.split(record, true).records().get(0);
    }

    @ParameterizedTest(name = "{0}, Bouncy Castle is server: {1}")
    @MethodSource("suitesAndRoles")
    void bouncyCastleOpensOurRecordsAndWeOpenTheirs(CipherSuite suite, boolean bouncyCastleIsServer) throws Exception {
        BouncyCastleRecordPeer peer = new BouncyCastleRecordPeer(suite, bouncyCastleIsServer, new SecureRandom());
        ProtectionState ourWrite = peer.ourWriteState();
        ProtectionState ourRead = peer.ourReadState();
        int[] lengths = {1, 0, 15, 16, 17, 300, 1 << 14};
        for (int i = 0; i < lengths.length; i++) {
            byte[] plaintext = RecordFixtures.bytes(random, lengths[i]);
            ContentType type = i == 0 ? ContentType.HANDSHAKE : ContentType.APPLICATION_DATA;

            RecordProtection.Sealed ours = RecordProtection.seal(crypto, ourWrite, type, plaintext);
            assertThat(peer.open(i, parse(ours.record()))).as("BC opens ours, record %d", i).isEqualTo(plaintext);
            ourWrite = ours.next();

            byte[] theirs = peer.seal(i, type, plaintext);
            if (suite.isAead()) {
                // Same key and nonce construction (GCM: explicit nonce = sequence number): the very same bytes.
                byte[] ourInTheirDirection = RecordProtection.seal(crypto, ourRead, type, plaintext).record();
                assertThat(Bytes.hex(ourInTheirDirection)).isEqualTo(Bytes.hex(theirs));
            }
            RecordProtection.Opened opened = RecordProtection.open(crypto, ourRead, parse(theirs));
            assertThat(opened.plaintext()).as("we open BC's, record %d", i).isEqualTo(plaintext);
            assertThat(opened.type()).isEqualTo(type);
            ourRead = opened.next();
        }
    }

    @ParameterizedTest(name = "{0}, Bouncy Castle is server: {1}")
    @MethodSource("suitesAndRoles")
    void eachSideRejectsTheOthersTamperedRecord(CipherSuite suite, boolean bouncyCastleIsServer) throws Exception {
        BouncyCastleRecordPeer peer = new BouncyCastleRecordPeer(suite, bouncyCastleIsServer, new SecureRandom());
        byte[] theirs = peer.seal(0, ContentType.APPLICATION_DATA, new byte[40]);
        theirs[theirs.length - 1] ^= 1;
        assertAlert(() -> RecordProtection.open(crypto, peer.ourReadState(), parse(theirs)), AlertDescription.BAD_RECORD_MAC);

        byte[] ours = RecordProtection.seal(crypto, peer.ourWriteState(), ContentType.APPLICATION_DATA, new byte[40]).record();
        ours[ours.length - 1] ^= 1;
        assertThatThrownBy(() -> peer.open(0, parse(ours))).isInstanceOfSatisfying(TlsFatalAlert.class,
                e -> assertThat(e.getAlertDescription()).isEqualTo((short) 20));
    }
}
