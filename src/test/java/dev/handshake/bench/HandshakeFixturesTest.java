package dev.handshake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.suite.CipherSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handshakes {@link HandshakeBenchmark} measures, run once each as tests: a replayed side completes again and
 * again, and the completeness check really fails when the replayed side does not repeat itself.
 */
class HandshakeFixturesTest {

    private static final CryptoProvider PRODUCTION = CryptoProviders.preferred();

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"})
    void everyBenchmarkedHandshakeCompletesRepeatedly(String name) {
        CipherSuite suite = HandshakeFixtures.suite(name);
        HandshakeFixtures.ServerReplay server = new HandshakeFixtures.ServerReplay(suite, PRODUCTION, HandshakeFixtures.SEED);
        HandshakeFixtures.ClientReplay client = new HandshakeFixtures.ClientReplay(suite, PRODUCTION, HandshakeFixtures.SEED);
        for (int i = 0; i < 3; i++) {
            assertThat(server.handshake().session().cipherSuite()).isEqualTo(suite.id());
            assertThat(client.handshake().session().cipherSuite()).isEqualTo(suite.id());
        }
        assertThat(HandshakeFixtures.handshake(new TlsEngine(HandshakeFixtures.clientConfig(suite), PRODUCTION),
                new TlsEngine(HandshakeFixtures.serverConfig(suite), PRODUCTION)).client().isEstablished()).isTrue();
        assertThat(new HandshakeFixtures.JdkHandshake(suite).handshake().session().getCipherSuite()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"})
    void recordedFlightsFailLoudlyAgainstASideThatDoesNotRepeatItself(String name) {
        CipherSuite suite = HandshakeFixtures.suite(name);
        HandshakeFixtures.ServerReplay server = new HandshakeFixtures.ServerReplay(suite, PRODUCTION, HandshakeFixtures.SEED);
        HandshakeFixtures.ClientReplay client = new HandshakeFixtures.ClientReplay(suite, PRODUCTION, HandshakeFixtures.SEED);

        // the same recordings, but the replayed side's randomness is not pinned: a new server random (and keys)
        assertThatThrownBy(() -> HandshakeFixtures.replay(new TlsEngine(HandshakeFixtures.serverConfig(suite), PRODUCTION),
                server.clientFlights(), "unpinned server")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not complete");
        assertThatThrownBy(() -> HandshakeFixtures.replay(new TlsEngine(HandshakeFixtures.clientConfig(suite), PRODUCTION),
                client.serverFlights(), "unpinned client")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not complete");
    }
}
