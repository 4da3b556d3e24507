package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a session keeps for its capture: bounded records, and key log lines named as SSLKEYLOGFILE names them. */
class SessionCaptureTest {

    static final String RANDOM = "11".repeat(32);

    static HandshakeEvent clientHello() {
        return new HandshakeEvent.MessageSent(SeedStep.CLIENT_HELLO, "client_hello", Map.of("random", RANDOM), new byte[4]);
    }

    static HandshakeEvent secret(String name, int fill) {
        byte[] value = new byte[48];
        java.util.Arrays.fill(value, (byte) fill);
        return new HandshakeEvent.SecretDerived(SeedStep.SESSION_KEYS, name, new Secret(value));
    }

    @Test
    void keepsRecordsUpToTheBoundAndNothingAfterTheFirstDrop() {
        SessionCapture c = SessionCapture.EMPTY.withRecords(true, new byte[60], 100)
                .withRecords(false, new byte[50], 100)   // would pass the bound: dropped
                .withRecords(true, new byte[10], 100);   // fits, but the stream already has a hole: dropped too
        assertThat(c.chunks()).hasSize(1);
        assertThat(c.storedBytes()).isEqualTo(60);
        assertThat(c.droppedBytes()).isEqualTo(60);
    }

    @Test
    void tls12MasterSecretIsAClientRandomLineKeyedByTheClientHello() {
        SessionCapture c = SessionCapture.EMPTY.withEvents(List.of(clientHello(), secret("pre_master_secret", 1),
                secret("master_secret", 2), secret("client_write_key", 3)));
        assertThat(c.keyLog()).containsExactly("CLIENT_RANDOM " + RANDOM + " " + "02".repeat(48));
    }

    @Test
    void tls13TrafficSecretsGetTheirLabelsAndItsMasterSecretNone() {
        SessionCapture c = SessionCapture.EMPTY.withEvents(List.of(clientHello(), secret("handshake_secret", 1),
                secret("client_handshake_traffic_secret", 2), secret("server_handshake_traffic_secret", 3),
                secret("master_secret", 4), secret("client_application_traffic_secret_0", 5),
                secret("server_application_traffic_secret_0", 6), secret("exporter_master_secret", 7)));
        // both sides of a walkthrough derive the same secrets: each line once
        c = c.withEvents(List.of(secret("client_handshake_traffic_secret", 2)));
        assertThat(c.keyLog()).extracting(line -> line.split(" ")[0]).containsExactly(
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET");
        assertThat(c.keyLogText()).endsWith("07".repeat(48) + "\n");
    }

    @Test
    void noClientRandomNoKeyLog() {
        assertThat(SessionCapture.EMPTY.withEvents(List.of(secret("master_secret", 1))).keyLog()).isEmpty();
    }

    @Test
    void theCaptureSurvivesTheSessionCodec() {
        SessionCapture c = SessionCapture.EMPTY.withRecords(true, new byte[] {22, 3, 1}, 100)
                .withRecords(false, new byte[] {22, 3, 3, 0}, 100)
                .withEvents(List.of(clientHello(), secret("master_secret", 9)));
        SessionRecord s = new SessionRecord("id", Mode.RELAY, new SessionOptions("TLSv1.2", "COMPATIBLE", null, null,
                null, "NONE", List.of(), List.of()), 1, SessionStatus.ESTABLISHED, List.of(new byte[] {1}), List.of(), 0,
                null, null, 5, 6).withCapture(c);
        SessionCapture back = SessionCodec.decode(SessionCodec.encode(s)).capture();
        assertThat(back.chunks()).extracting(SessionCapture.Chunk::fromClient).containsExactly(true, false);
        assertThat(back.chunks().get(1).bytes()).containsExactly(22, 3, 3, 0);
        assertThat(back.keyLog()).isEqualTo(c.keyLog());
        assertThat(back.clientRandom()).isEqualTo(RANDOM);
        assertThat(back.storedBytes()).isEqualTo(7);
    }
}
