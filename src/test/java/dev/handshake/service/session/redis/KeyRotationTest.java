package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.relay.RelayApiTestAccess;
import dev.handshake.service.session.SessionIds;
import dev.handshake.testing.TestRedis;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The middle of a key rotation: both replicas hold the old and the new key, one still seals with the old, the other
 * already with the new. Live sessions keep moving between them; nothing is lost.
 */
class KeyRotationTest {

    static final String NEW_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210"
            .getBytes(StandardCharsets.US_ASCII));
    static Replica old;
    static Replica rotated;

    @BeforeAll
    static void startReplicas() {
        TestRedis redis = TestRedis.shared();
        String prefix = "rotation-" + SessionIds.next().substring(0, 8) + ":";
        old = Replica.start(redis, prefix, "handshake.session.encryption.keys.k2=" + NEW_KEY);
        rotated = Replica.start(redis, prefix, "handshake.session.encryption.keys.k2=" + NEW_KEY,
                "handshake.session.encryption.current-key-id=k2");
    }

    @AfterAll
    static void stopReplicas() {
        if (old != null) {
            old.close();
        }
        if (rotated != null) {
            rotated.close();
        }
    }

    @Test
    void sessionsMoveBetweenReplicasSealingWithDifferentKeys() throws Exception {
        assertThat(old.context.getBean(AtRestEncryption.class).currentKeyId()).isEqualTo("k1");
        assertThat(rotated.context.getBean(AtRestEncryption.class).currentKeyId()).isEqualTo("k2");
        LocalCertificateAuthority ca = old.context.getBean(LocalCertificateAuthority.class);
        try (RoundRobinProxy balancer = new RoundRobinProxy(List.of(old.port, rotated.port));
             RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), balancer.uri(),
                     RelayApiTestAccess.jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "{}")) {
            for (int i = 0; i < 4; i++) {
                byte[] data = ("round " + i).getBytes(StandardCharsets.US_ASCII);
                assertThat(tls.exchange(data)).isEqualTo(data);
            }
            assertThat(balancer.served).hasSize(6).anyMatch(s -> s.endsWith("A")).anyMatch(s -> s.endsWith("B"));
        }
    }
}
