package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.client.RelayClient;
import dev.handshake.service.ApiCalls;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.testing.JdkTlsPeer;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Parallel advances of one session: one wins, the rest get 409, and the session stays whole and usable. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentAdvanceTest {

    static final int THREADS = 16;

    @LocalServerPort
    int port;
    @Autowired
    LocalCertificateAuthority ca;
    ApiCalls api;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        api = new ApiCalls(port);
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    JdkTlsPeer jdkClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        return JdkTlsPeer.client().protocols("TLSv1.2").trust(trust).serverName("localhost").build();
    }

    <T> List<T> race(Callable<T> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void parallelFlightsWithTheSameVersionHaveOneWinnerAndTheHandshakeGoesOn() throws Exception {
        JdkTlsPeer client = jdkClient();
        byte[] clientHello = client.produce();
        ApiCalls.Answer created = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}");
        String id = created.json().get("id").asString();
        String flights = "/api/v1/sessions/" + id + "/flights";

        List<ApiCalls.Answer> answers = race(() -> api.send("POST", flights, "application/octet-stream", clientHello,
                "If-Match", created.etag()));

        List<ApiCalls.Answer> won = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(won).hasSize(1);
        assertThat(answers).filteredOn(a -> a.status() != 200).hasSize(THREADS - 1).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(409);
            assertThat(a.json().get("type").asString()).endsWith("/concurrent-advance");
        });
        // the winner's answer continues the handshake: the stored state is the winner's, whole
        byte[] next = client.receive(won.get(0).bytes());
        String etag = won.get(0).etag();
        for (int round = 0; round < 4 && !client.handshakeDone(); round++) {
            ApiCalls.Answer answer = api.send("POST", flights, "application/octet-stream", next, "If-Match", etag);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            etag = answer.etag();
            next = client.receive(answer.bytes());
        }
        assertThat(client.handshakeDone()).isTrue();
        assertThat(api.get("/api/v1/sessions/" + id).json().get("status").asString()).isEqualTo("ESTABLISHED");
    }

    @Test
    void parallelStepsOfOneWalkthroughHaveOneWinner() throws Exception {
        ApiCalls.Answer created = api.postJson("/api/v1/sessions", "{\"mode\":\"walkthrough\"}");
        String id = created.json().get("id").asString();
        List<ApiCalls.Answer> answers = race(() -> api.postJson("/api/v1/sessions/" + id + "/steps", "",
                "If-Match", created.etag()));
        assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(a -> a.status() == 409).hasSize(THREADS - 1);
        assertThat(api.get("/api/v1/sessions/" + id).json().get("nextStep").asInt()).isEqualTo(2);
    }

    @Test
    void parallelFlightsWithoutVersionNeverTearTheSession() throws Exception {
        JdkTlsPeer client = jdkClient();
        byte[] clientHello = client.produce();
        String id = api.postJson("/api/v1/sessions", "{\"mode\":\"relay\"}").json().get("id").asString();
        List<ApiCalls.Answer> answers = race(() -> api.send("POST", "/api/v1/sessions/" + id + "/flights",
                "application/octet-stream", clientHello));
        // the first to store wins; later ones either lost the race (409) or were a second ClientHello, which TLS
        // answers with an alert (200): never a 5xx, and the stored session always decodes
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 409));
        assertThat(answers).filteredOn(a -> a.status() == 200).isNotEmpty();
        assertThat(api.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
    }

    @Test
    void manyParallelSessionsComplete() throws Exception {
        URI base = URI.create("http://localhost:" + port);
        List<byte[]> echoes = race(() -> {
            var engine = dev.handshake.service.relay.RelayApiTestAccess.jdkClient(ca, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            try (RelayClient tls = RelayClient.connect(base, engine)) {
                return tls.exchange("ping".getBytes());
            }
        });
        assertThat(echoes).hasSize(THREADS).allSatisfy(e -> assertThat(e).isEqualTo("ping".getBytes()));
    }
}
