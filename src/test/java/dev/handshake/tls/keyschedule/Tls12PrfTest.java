package dev.handshake.tls.keyschedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.suite.PrfHash;
import java.util.Arrays;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Tls12PrfTest {

    private static final JcaCryptoProvider PROVIDER = CryptoProviders.preferred();

    static java.util.List<PrfTestVectors.Vector> vectors() {
        return PrfTestVectors.tls12();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void matchesThePublishedVector(PrfTestVectors.Vector v) {
        assertThat(Bytes.hex(Tls12Prf.prf(PROVIDER, v.hash(), v.secret(), v.label(), v.seed(), v.output().length)))
                .isEqualTo(Bytes.hex(v.output()));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void shorterOutputIsAPrefixOfLongerOutput(PrfTestVectors.Vector v) {
        // P_hash is a stream: asking for fewer bytes, or a length that is not a multiple of the hash, cuts it.
        for (int length : new int[] {0, 1, 12, 31, 32, 33, 48, 49}) {
            assertThat(Tls12Prf.prf(PROVIDER, v.hash(), v.secret(), v.label(), v.seed(), length))
                    .isEqualTo(Arrays.copyOf(v.output(), length));
        }
    }

    @Test
    void anEmptySecretIsTheHmacKeyOfZeros() {
        // Bouncy Castle's TLS PRF is an independent implementation that accepts an empty secret.
        BcTlsCrypto bc = new BcTlsCrypto(new java.security.SecureRandom());
        byte[] seed = Bytes.fromHex("00112233");
        byte[] expected = bc.createSecret(new byte[0])
                .deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "test label", seed, 40).extract();
        assertThat(Tls12Prf.prf(PROVIDER, PrfHash.SHA256, new byte[0], "test label", seed, 40)).isEqualTo(expected);
    }
}
