package dev.handshake.tls.record;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Arrays;

/**
 * Arbitrary bytes through the record layer's parsers: the only exception allowed out is TlsAlertException. Anything
 * else (an index out of bounds, an IllegalArgumentException, a JCA exception) is a finding. Regression mode replays
 * the committed corpus under RecordLayerFuzzTestInputs/.
 */
class RecordLayerFuzzTest {

    private static final CryptoProvider CRYPTO = JcaCryptoProvider.jdkDefaults();

    /** Fixed states whose keys the seed corpus was sealed with (see {@link #seedRecord}). */
    static final ProtectionState GCM = ProtectionState.tls12(
            CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
            new Secret(filled(16, 0x11)), null, filled(4, 0x22));
    static final ProtectionState CBC = ProtectionState.tls12(
            CipherSuites.require(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
            new Secret(filled(16, 0x33)), new Secret(filled(20, 0x44)), Bytes.EMPTY);
    static final ProtectionState TLS13 = ProtectionState.tls13(
            CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256), new Secret(filled(16, 0x55)), filled(12, 0x66));

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @FuzzTest
    void recordFramerSplit(byte[] input) {
        try {
            boolean protectedRecords = input.length > 0 && (input[0] & 1) == 1;
            RecordFramer.Framed framed = RecordFramer.split(input, protectedRecords);
            int total = framed.remainder().length;
            for (TlsRecord record : framed.records()) {
                total += TlsRecord.HEADER_LENGTH + record.fragment().length;
            }
            if (total != input.length) {
                throw new IllegalStateException("framing lost or invented bytes");
            }
        } catch (TlsAlertException expected) {
            // the one allowed outcome for bad input
        }
    }

    @FuzzTest
    void handshakeReassemblerAdd(byte[] input) {
        // The first byte splits the input in two fragments, so messages straddle fragment boundaries.
        int cut = input.length == 0 ? 0 : Math.min(input.length - 1, input[0] & 0xff) + 1;
        cut = Math.min(cut, input.length);
        try {
            HandshakeReassembler.Reassembled first = HandshakeReassembler.add(Bytes.EMPTY,
                    Arrays.copyOfRange(input, 0, cut), 1 << 16);
            HandshakeReassembler.add(first.pending(), Arrays.copyOfRange(input, cut, input.length), 1 << 16);
        } catch (TlsAlertException expected) {
            // the one allowed outcome for bad input
        }
    }

    @FuzzTest
    void recordProtectionOpen(byte[] input) {
        if (input.length < 1) {
            return;
        }
        // byte 0: the state (low 2 bits) and the record's content type (the rest); then the fragment
        ProtectionState state = switch (input[0] & 3) {
            case 0 -> GCM;
            case 1 -> CBC;
            case 2 -> TLS13;
            default -> ProtectionState.plaintext();
        };
        ContentType type = new ContentType(20 + ((input[0] & 0xff) >>> 2) % 4);
        byte[] fragment = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + 0xffff));
        try {
            RecordProtection.open(CRYPTO, state, new TlsRecord(type, ProtocolVersion.TLS1_2, fragment));
        } catch (TlsAlertException expected) {
            // the one allowed outcome for bad input
        }
    }

    /** Writes a fuzz seed for recordProtectionOpen: selector byte, then a fragment sealed with the fixed state. */
    static byte[] seedRecord(int stateIndex, ProtectionState state, ContentType type, byte[] plaintext, int padding) {
        byte[] record = RecordProtection.seal(CRYPTO, state, type, plaintext, padding).record();
        byte[] seed = new byte[record.length - TlsRecord.HEADER_LENGTH + 1];
        seed[0] = (byte) (stateIndex | ((record[0] - 20) << 2));
        System.arraycopy(record, TlsRecord.HEADER_LENGTH, seed, 1, seed.length - 1);
        return seed;
    }
}
