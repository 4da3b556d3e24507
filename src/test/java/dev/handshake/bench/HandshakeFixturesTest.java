package dev.handshake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handshakes {@link HandshakeBenchmark} measures, run as tests: each completes again and again, in the version and
 * suite of its scenario, resumes exactly when the scenario says so (our engine and SunJSSE alike), and the checks
 * really fail when a replayed side does not repeat itself or a handshake resumes when it should not.
 */
class HandshakeFixturesTest {

    private static final CryptoProvider PRODUCTION = CryptoProviders.preferred();

    @ParameterizedTest
    @EnumSource(HandshakeScenario.class)
    void everyBenchmarkedHandshakeCompletesRepeatedlyAndResumesAsItsScenarioSays(HandshakeScenario scenario) {
        HandshakeFixtures.ServerReplay server = new HandshakeFixtures.ServerReplay(scenario, PRODUCTION, HandshakeFixtures.SEED);
        HandshakeFixtures.ClientReplay client = new HandshakeFixtures.ClientReplay(scenario, PRODUCTION, HandshakeFixtures.SEED);
        HandshakeFixtures.OurHandshake ours = new HandshakeFixtures.OurHandshake(scenario, PRODUCTION);
        HandshakeFixtures.JdkHandshake jdk = new HandshakeFixtures.JdkHandshake(scenario);
        for (int i = 0; i < 3; i++) {
            assertThat(server.handshake().session().resumed()).isEqualTo(scenario.resumed());
            assertThat(client.handshake().session().resumed()).isEqualTo(scenario.resumed());
            HandshakeFixtures.Transcript both = ours.checkedHandshake();
            assertThat(both.server().session().cipherSuite().name()).isEqualTo(scenario.suite());
            assertThat(both.server().session().version()).isEqualTo(scenario.version());
            assertThat(jdk.checkedHandshake().session().getCipherSuite()).isEqualTo(scenario.suite());
        }
        assertThat(jdk.handshake(SideCpuClock.NONE).session().getProtocol()).isEqualTo(scenario.jdkProtocol());
    }

    @ParameterizedTest
    @EnumSource(HandshakeScenario.class)
    void recordedFlightsFailLoudlyAgainstASideThatDoesNotRepeatItself(HandshakeScenario scenario) {
        HandshakeFixtures.ServerReplay server = new HandshakeFixtures.ServerReplay(scenario, PRODUCTION, HandshakeFixtures.SEED);
        HandshakeFixtures.ClientReplay client = new HandshakeFixtures.ClientReplay(scenario, PRODUCTION, HandshakeFixtures.SEED);

        // the same recordings, but the replayed side's randomness is not pinned: a new server random (and keys)
        assertThatThrownBy(() -> HandshakeFixtures.replay(new TlsEngine(HandshakeFixtures.serverConfig(scenario), PRODUCTION),
                server.clientFlights(), "unpinned server")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not complete");
        assertThatThrownBy(() -> HandshakeFixtures.replay(new TlsEngine(HandshakeFixtures.clientConfig(scenario), PRODUCTION),
                client.serverFlights(), "unpinned client")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not complete");
    }

    @ParameterizedTest
    @EnumSource(value = HandshakeScenario.class, names = {"TLS13_RSA", "TLS13_RESUMED"})
    void theResumptionCheckFailsForAHandshakeOfTheOtherKind(HandshakeScenario scenario) {
        HandshakeScenario other = scenario == HandshakeScenario.TLS13_RSA ? HandshakeScenario.TLS13_RESUMED
                : HandshakeScenario.TLS13_RSA;
        HandshakeFixtures.Transcript transcript = new HandshakeFixtures.OurHandshake(other, PRODUCTION).checkedHandshake();
        assertThatThrownBy(() -> HandshakeFixtures.requireResumption(scenario, transcript, "our engine"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(scenario.resumed() ? "did not resume" : "resumed");
        assertThat(List.of(ProtocolVersion.TLS1_3)).contains(transcript.server().session().version());
    }
}
