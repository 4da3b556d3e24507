package dev.handshake.service.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.relay.RelayApiTestAccess;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.SessionRepository;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.core.RedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two application instances sharing one Redis, as two replicas behind a load balancer that is not sticky: every
 * session moves between them at every call and must come out the same as on one instance.
 */
class MultiReplicaTest {

    static Replica a;
    static Replica b;

    @BeforeAll
    static void startReplicas() {
        TestRedis redis = TestRedis.shared();
        String prefix = "multi-" + SessionIds.next().substring(0, 8) + ":";
        a = Replica.start(redis, prefix);
        b = Replica.start(redis, prefix);
    }

    @AfterAll
    static void stopReplicas() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    static LocalCertificateAuthority ca() {
        return a.context.getBean(LocalCertificateAuthority.class);
    }

    @Test
    void replicasShareOneLocalCaAndTheRedisStore() {
        assertThat(b.context.getBean(LocalCertificateAuthority.class).certificate()).isEqualTo(ca().certificate());
        assertThat(a.context.getBean(SessionRepository.class)).isInstanceOf(RedisSessionRepository.class);
        ApiCalls.Answer health = a.management.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("components").get("redis").get("status").asString()).isEqualTo("UP");
        ApiCalls.Answer readiness = a.management.get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
        assertThat(readiness.json().get("components").has("redis")).as(readiness.text()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"})
    void relayHandshakeStartedOnAIsCompletedOnBAndItsRecordsRelayedOnA(String suite) throws Exception {
        SSLEngine engine = RelayApiTestAccess.jdkClient(ca(), suite);
        try (RoundRobinProxy balancer = new RoundRobinProxy(List.of(a.port, b.port))) {
            byte[] request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            String id;
            try (RelayClient tls = RelayClient.connect(HttpClient.newHttpClient(), balancer.uri(), engine, "{}")) {
                id = tls.sessionId();
                assertThat(tls.session().getCipherSuite()).isEqualTo(suite);
                assertThat(tls.exchange(request)).isEqualTo(request);
                assertThat(b.api.get("/api/v1/sessions/" + id).json().get("status").asString())
                        .isEqualTo("ESTABLISHED");
            }
            assertThat(balancer.served).containsExactly(
                    "POST /api/v1/sessions -> A",                // ClientHello; A answers up to ServerHelloDone
                    "POST /api/v1/sessions/{id}/flights -> B",   // B reads the key exchange and Finished, answers its own
                    "POST /api/v1/sessions/{id}/flights -> A",   // application records: A decrypts and echoes
                    "POST /api/v1/sessions/{id}/flights -> B",   // close_notify both ways
                    "DELETE /api/v1/sessions/{id} -> A");
            assertThat(engine.isInboundDone()).as("the server's close_notify arrived").isTrue();
            assertThat(a.api.get("/api/v1/sessions/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void walkthroughAlternatesReplicasAtEveryStep() {
        ApiCalls.Answer created = a.api.postJson("/api/v1/sessions", """
                {"mode":"walkthrough","version":"TLSv1.2","clientAuth":"required",
                 "walkthrough":{"keyExchange":"ecdhe","faults":[]}}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String etag = created.etag();
        List<Integer> revealed = new ArrayList<>();
        List<JsonNode> steps = new ArrayList<>();
        for (int call = 0; call < 11; call++) {
            Replica replica = call % 2 == 0 ? b : a;
            ApiCalls.Answer answer = replica.api.postJson("/api/v1/sessions/" + id + "/steps", "", "If-Match", etag);
            assertThat(answer.status()).as("step call %d on %s: %s", call + 1, replica == a ? "A" : "B", answer.text())
                    .isEqualTo(200);
            etag = answer.etag();
            answer.json().get("steps").forEach(s -> {
                revealed.add(s.get("step").asInt());
                steps.add(s);
            });
        }
        assertThat(revealed).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(steps).allSatisfy(s -> assertThat(s.get("outcome").asString()).isNotEqualTo("stopped"));
        assertThat(steps.get(2).toString()).contains("\"trusted\":true");      // step 3 on B checks A's certificate
        assertThat(steps.get(4).toString()).contains("certificate_verify");   // step 5 on B signs with the shared key
        assertThat(steps.get(8).toString()).contains("finished");
        assertThat(a.api.get("/api/v1/sessions/" + id).json().get("status").asString()).isEqualTo("ESTABLISHED");
    }

    @Test
    void parallelAdvancesOnBothReplicasHaveOneWinnerAndTheHandshakeGoesOn() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca().certificate());
        JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").trust(trust).serverName("localhost").build();
        byte[] clientHello = client.produce();
        ApiCalls.Answer created = a.api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}");
        String id = created.json().get("id").asString();
        String flights = "/api/v1/sessions/" + id + "/flights";

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<ApiCalls.Answer> answers = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ApiCalls.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Replica replica = i % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    go.await();
                    return replica.api.send("POST", flights, "application/octet-stream", clientHello,
                            "If-Match", created.etag());
                }));
            }
            go.countDown();
            for (Future<ApiCalls.Answer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<ApiCalls.Answer> won = answers.stream().filter(x -> x.status() == 200).toList();
        assertThat(won).hasSize(1);
        assertThat(answers).filteredOn(x -> x.status() != 200).hasSize(threads - 1).allSatisfy(x -> {
            assertThat(x.status()).isEqualTo(409);
            assertThat(x.json().get("type").asString()).endsWith("/concurrent-advance");
        });
        // the stored state is the winner's, whole: the handshake completes, on alternating replicas
        byte[] next = client.receive(won.get(0).bytes());
        String etag = won.get(0).etag();
        for (int round = 0; round < 4 && !client.handshakeDone(); round++) {
            Replica replica = round % 2 == 0 ? b : a;
            ApiCalls.Answer answer = replica.api.send("POST", flights, "application/octet-stream", next, "If-Match", etag);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            etag = answer.etag();
            next = client.receive(answer.bytes());
        }
        assertThat(client.handshakeDone()).isTrue();
        assertThat(b.api.get("/api/v1/sessions/" + id).json().get("status").asString()).isEqualTo("ESTABLISHED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void valueTamperedWithInRedisIsAnswered404AndCounted() {
        String id = a.api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}").json().get("id").asString();
        assertThat(b.api.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
        RedisTemplate<byte[], byte[]> redis = a.context.getBean("sessionRedisTemplate", RedisTemplate.class);
        byte[] key = a.context.getBean(RedisSessionRepository.class).key(id);
        byte[] field = "d".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = (byte[]) redis.opsForHash().get(key, field);
        sealed[sealed.length - 1] ^= 1; // the last byte of the GCM tag
        redis.opsForHash().put(key, field, sealed);

        double before = rejected(b);
        ApiCalls.Answer answer = b.api.get("/api/v1/sessions/" + id);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("type").asString()).endsWith("/session-not-found");
        assertThat(rejected(b) - before).isEqualTo(1);
        assertThat(b.api.postJson("/api/v1/sessions/" + id + "/steps", "").status()).isEqualTo(404);
    }

    static double rejected(Replica replica) {
        var counter = replica.context.getBean(MeterRegistry.class).find(RejectedValues.METER)
                .tag("reason", "authentication").counter();
        return counter == null ? 0 : counter.count();
    }
}
