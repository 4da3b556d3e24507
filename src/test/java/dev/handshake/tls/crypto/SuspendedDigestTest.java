package dev.handshake.tls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.suite.PrfHash;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SuspendedDigestTest {

    @ParameterizedTest
    @EnumSource(PrfHash.class)
    void resumingASuspendedHashGivesTheHashOfTheWholeInput(PrfHash hash) throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 55, 64, 111, 128, 3437}) {
            byte[] input = new byte[length + 300];
            random.nextBytes(input);
            MessageDigest jdk = MessageDigest.getInstance(hash == PrfHash.SHA384 ? "SHA-384" : "SHA-256");
            byte[] prefix = Arrays.copyOf(input, length);
            byte[] rest = Arrays.copyOfRange(input, length, input.length);

            byte[] suspended = SuspendedDigest.suspend(hash, prefix);

            assertThat(SuspendedDigest.finishAfter(hash, suspended, rest)).isEqualTo(jdk.digest(input));
            assertThat(SuspendedDigest.finishAfter(hash, suspended, new byte[0])).as("reusable")
                    .isEqualTo(jdk.digest(prefix));
            assertThat(suspended.length).as("the state, not the messages").isLessThan(hash.length() * 2 + 160);
        }
    }

    @ParameterizedTest
    @EnumSource(PrfHash.class)
    void aStateThatDoesNotDecodeFailsInsteadOfHashing(PrfHash hash) {
        assertThatThrownBy(() -> SuspendedDigest.finishAfter(hash, new byte[3], new byte[1]))
                .isInstanceOf(IllegalStateException.class);
    }
}
