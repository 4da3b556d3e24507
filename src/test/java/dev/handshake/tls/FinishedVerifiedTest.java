package dev.handshake.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/**
 * The one Finished check every handshake uses, full or resumed, TLS 1.2 or 1.3: a verify_data of the wrong length is
 * malformed (decode_error), one of the right length but other content is decrypt_error (RFC 5246 §7.4.9, RFC 8446
 * §4.4.4).
 */
class FinishedVerifiedTest {

    private static final byte[] EXPECTED = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void matchingVerifyDataIsProof() {
        assertThat(FinishedVerified.check(EXPECTED, EXPECTED.clone())).isNotNull();
    }

    @Test
    void otherContentOfTheSameLengthIsDecryptError() {
        byte[] received = EXPECTED.clone();
        received[11] ^= 1;
        assertThatThrownBy(() -> FinishedVerified.check(EXPECTED, received))
                .isInstanceOfSatisfying(TlsAlertException.class,
                        e -> assertThat(e.alert()).isEqualTo(AlertDescription.DECRYPT_ERROR));
    }

    @Test
    void anotherLengthIsDecodeErrorEvenWhenItIsAPrefix() {
        for (int length : new int[] {0, 11, 13, 32}) {
            byte[] received = java.util.Arrays.copyOf(EXPECTED, length);
            assertThatThrownBy(() -> FinishedVerified.check(EXPECTED, received)).as("length %d", length)
                    .isInstanceOfSatisfying(TlsAlertException.class,
                            e -> assertThat(e.alert()).isEqualTo(AlertDescription.DECODE_ERROR));
        }
    }
}
