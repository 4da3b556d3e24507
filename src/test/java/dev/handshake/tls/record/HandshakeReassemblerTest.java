package dev.handshake.tls.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeReassemblerTest {

    private static final int LIMIT = 1 << 16;

    private static byte[] message(int type, int bodyLength) {
        byte[] m = new byte[4 + bodyLength];
        m[0] = (byte) type;
        m[1] = (byte) (bodyLength >>> 16);
        m[2] = (byte) (bodyLength >>> 8);
        m[3] = (byte) bodyLength;
        for (int i = 4; i < m.length; i++) {
            m[i] = (byte) (i * 31 + type);
        }
        return m;
    }

    @Test
    void reassemblesAMessageSplitAcrossThreeRecords() {
        byte[] certificate = message(11, 1000);
        byte[] a = Arrays.copyOfRange(certificate, 0, 2); // not even a whole header
        byte[] b = Arrays.copyOfRange(certificate, 2, 600);
        byte[] c = Arrays.copyOfRange(certificate, 600, certificate.length);

        HandshakeReassembler.Reassembled first = HandshakeReassembler.add(Bytes.EMPTY, a, LIMIT);
        assertThat(first.messages()).isEmpty();
        HandshakeReassembler.Reassembled second = HandshakeReassembler.add(first.pending(), b, LIMIT);
        assertThat(second.messages()).isEmpty();
        HandshakeReassembler.Reassembled third = HandshakeReassembler.add(second.pending(), c, LIMIT);

        assertThat(third.messages()).hasSize(1);
        assertThat(third.messages().get(0)).isEqualTo(certificate);
        assertThat(third.pending()).isEmpty();
    }

    @Test
    void separatesThreeMessagesInOneRecord() {
        byte[] serverHello = message(2, 70);
        byte[] certificate = message(11, 300);
        byte[] serverHelloDone = message(14, 0);

        HandshakeReassembler.Reassembled out = HandshakeReassembler.add(Bytes.EMPTY,
                Bytes.concat(serverHello, certificate, serverHelloDone), LIMIT);

        assertThat(out.messages()).containsExactly(serverHello, certificate, serverHelloDone);
        assertThat(out.pending()).isEmpty();
    }

    @Test
    void keepsTheStartOfTheNextMessagePending() {
        byte[] finished = message(20, 12);
        byte[] next = message(4, 50);
        HandshakeReassembler.Reassembled out = HandshakeReassembler.add(Bytes.EMPTY,
                Bytes.concat(finished, Arrays.copyOf(next, 10)), LIMIT);
        assertThat(out.messages()).containsExactly(finished);
        assertThat(out.pending()).isEqualTo(Arrays.copyOf(next, 10));
    }

    @Test
    void rejectsAnOverLongDeclarationFromTheHeaderAloneWithDecodeError() {
        // A peer announcing a 16 MiB - 1 Certificate: refused before a single body byte is buffered.
        byte[] header = Bytes.fromHex("0bffffff");
        assertThatThrownBy(() -> HandshakeReassembler.add(Bytes.EMPTY, header, LIMIT))
                .isInstanceOfSatisfying(TlsAlertException.class,
                        e -> assertThat(e.alert()).isEqualTo(AlertDescription.DECODE_ERROR));
    }

    @Test
    void acceptsAMessageOfExactlyTheLimit() {
        byte[] big = message(11, LIMIT);
        assertThat(HandshakeReassembler.add(Bytes.EMPTY, big, LIMIT).messages()).containsExactly(big);
        assertThatThrownBy(() -> HandshakeReassembler.add(Bytes.EMPTY, message(11, LIMIT + 1), LIMIT))
                .isInstanceOf(TlsAlertException.class);
    }

    @Test
    void fragmenterCoalescesSeveralMessagesIntoAsFewRecordsAsPossible() {
        List<byte[]> messages = List.of(message(2, 70), message(11, 20000), message(12, 300), message(14, 0));
        int total = messages.stream().mapToInt(m -> m.length).sum();

        List<byte[]> fragments = HandshakeFragmenter.fragment(messages, TlsRecord.MAX_PLAINTEXT_LENGTH);

        assertThat(fragments).hasSize((total + (1 << 14) - 1) / (1 << 14));
        assertThat(fragments.get(0)).hasSize(1 << 14);
        byte[] pending = Bytes.EMPTY;
        java.util.ArrayList<byte[]> rebuilt = new java.util.ArrayList<>();
        for (byte[] fragment : fragments) {
            HandshakeReassembler.Reassembled r = HandshakeReassembler.add(pending, fragment, LIMIT);
            rebuilt.addAll(r.messages());
            pending = r.pending();
        }
        assertThat(rebuilt).containsExactlyElementsOf(messages);
        assertThat(pending).isEmpty();
    }

    @Test
    void fragmenterPutsSmallFlightsInOneRecordAndNothingInNone() {
        byte[] flight = Bytes.concat(message(2, 70), message(14, 0));
        assertThat(HandshakeFragmenter.fragment(flight, 1 << 14)).containsExactly(flight);
        assertThat(HandshakeFragmenter.fragment(Bytes.EMPTY, 1 << 14)).isEmpty();
        assertThat(HandshakeFragmenter.fragment(flight, 10)).hasSize(8).allSatisfy(f -> assertThat(f.length).isBetween(1, 10));
    }

    @Test
    void fragmenterRefusesFragmentSizesOutsideTheRecordLimit() {
        assertThatThrownBy(() -> HandshakeFragmenter.fragment(new byte[5], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeFragmenter.fragment(new byte[5], (1 << 14) + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
