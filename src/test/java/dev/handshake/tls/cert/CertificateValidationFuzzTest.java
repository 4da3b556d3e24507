package dev.handshake.tls.cert;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handshake.testing.TestPki;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import java.security.cert.TrustAnchor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whatever a peer puts in a Certificate message, validation answers with a {@link CertificateCheck} and never throws.
 * Inputs are mutations of a real chain (the fuzzer splices arbitrary bytes into the real leaf) as well as raw bytes.
 */
class CertificateValidationFuzzTest {

    private static final CryptoProvider CRYPTO = JcaCryptoProvider.jdkDefaults();
    private static final Set<TrustAnchor> ANCHORS = Set.of(new TrustAnchor(TestPki.rootCa().leaf(), null));
    private static final byte[] LEAF = TestPki.serverEcdsa().derChain().get(0);
    private static final Instant NOW = Instant.now();

    @FuzzTest(maxDuration = "2m")
    void validationNeverThrowsAndNeverTrustsAlteredCertificates(FuzzedDataProvider data) {
        List<byte[]> chain = new ArrayList<>();
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            if (data.consumeBoolean()) {
                // The real leaf with a run of bytes overwritten: exercises the decoder deep inside valid structure.
                byte[] mutated = LEAF.clone();
                int at = data.consumeInt(0, mutated.length - 1);
                byte[] patch = data.consumeBytes(Math.min(8, mutated.length - at));
                System.arraycopy(patch, 0, mutated, at, patch.length);
                chain.add(mutated);
            } else {
                chain.add(data.consumeBytes(data.consumeInt(0, 2048)));
            }
        }
        String host = data.consumeBoolean() ? data.consumeString(64) : "localhost";

        CertificateCheck check = CertificateValidation.validateServer(CRYPTO, chain, ANCHORS, host, NOW);

        assertThat(check.trusted() == (check.problem() == null)).isTrue();
        if (check.trusted()) {
            // The signature covers every byte and decoding is strict DER: only the genuine leaf can be trusted.
            assertThat(chain.get(0)).as("trusted leaf").isEqualTo(LEAF);
        }
    }
}
