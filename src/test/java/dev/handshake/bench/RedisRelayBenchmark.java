package dev.handshake.bench;

import dev.handshake.client.HttpTransport;
import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestRedis;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis session store benchmark (not a test): relay handshakes per second and p50/p99 latency with the Redis
 * repository next to the in-memory one, in one run and one JVM, the two services measured in alternating rounds so
 * that load from other processes falls on both alike. Each handshake is a JDK SSLEngine through {@code RelayClient}:
 * create with the ClientHello, one flight, close_notify, delete (4 HTTP calls, 4 Redis round trips: one instance
 * serves them all, so each flight is answered from its own last write; RedisRoundTripsTest keeps the count).
 * Redis is {@code HANDSHAKE_TEST_REDIS} if set, else a redis-server this process starts. See docs/benchmarks-redis.md.
 */
public final class RedisRelayBenchmark {

    private static final String[] SUITES = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        JdkTlsPeer.allowLegacyAlgorithms();
        TestRedis redis = TestRedis.shared();
        String[] common = {"--server.port=0", "--logging.level.root=WARN", "--handshake.session.max-sessions=1000000",
                "--springdoc.api-docs.enabled=false", "--springdoc.swagger-ui.enabled=false"};
        ConfigurableApplicationContext memory = SpringApplication.run(HandshakeServiceApplication.class, common);
        List<String> redisArgs = new ArrayList<>(List.of(common));
        redisArgs.addAll(List.of("--handshake.session.store=redis",
                "--handshake.session.redis.key-prefix=bench-" + System.nanoTime() + ":",
                "--handshake.session.encryption.keys.bench=" + Base64.getEncoder().encodeToString(new byte[32]),
                "--handshake.session.encryption.current-key-id=bench",
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port()));
        ConfigurableApplicationContext shared = SpringApplication.run(HandshakeServiceApplication.class,
                redisArgs.toArray(String[]::new));
        try {
            URI memoryUri = uri(memory);
            URI redisUri = uri(shared);
            LocalCertificateAuthority memoryCa = memory.getBean(LocalCertificateAuthority.class);
            LocalCertificateAuthority redisCa = shared.getBean(LocalCertificateAuthority.class);
            System.out.printf(Locale.ROOT, "%d handshakes per measurement, %d client threads, %d alternating rounds, "
                    + "Redis %s:%d%n", n, threads, rounds, redis.host(), redis.port());
            redisRoundTrip(shared);
            for (String suite : SUITES) {
                // warm both up (JIT, connection pools, Lettuce's connection)
                RelayApiBenchmark.relay(HttpTransport.urlConnection(), memoryUri, memoryCa, "TLSv1.2", suite, n / 4);
                RelayApiBenchmark.relay(HttpTransport.urlConnection(), redisUri, redisCa, "TLSv1.2", suite, n / 4);
                for (int t : new int[] {1, threads}) {
                    List<long[]> inMemory = new ArrayList<>();
                    List<long[]> inRedis = new ArrayList<>();
                    double memorySeconds = 0;
                    double redisSeconds = 0;
                    for (int round = 0; round < rounds; round++) {
                        long start = System.nanoTime();
                        inMemory.add(run(memoryUri, memoryCa, suite, n, t));
                        memorySeconds += (System.nanoTime() - start) / 1e9;
                        start = System.nanoTime();
                        inRedis.add(run(redisUri, redisCa, suite, n, t));
                        redisSeconds += (System.nanoTime() - start) / 1e9;
                    }
                    double memoryRate = rounds * n / memorySeconds;
                    double redisRate = rounds * n / redisSeconds;
                    long[] m = merge(inMemory);
                    long[] r = merge(inRedis);
                    System.out.printf(Locale.ROOT, "%s, %d thread(s): memory %.0f/s p50 %.2f ms p99 %.2f ms | "
                                    + "redis %.0f/s p50 %.2f ms p99 %.2f ms | redis costs %.1f%% of throughput%n",
                            suite, t, memoryRate, Samples.percentileMillis(m, 50),
                            Samples.percentileMillis(m, 99), redisRate, Samples.percentileMillis(r, 50),
                            Samples.percentileMillis(r, 99), 100 * (1 - redisRate / memoryRate));
                }
            }
        } finally {
            shared.close();
            memory.close();
            redis.close();
        }
    }

    /** What one Redis command costs from the service here (PING over the service's own Lettuce connection). */
    static void redisRoundTrip(ConfigurableApplicationContext app) {
        var connections = app.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class);
        long[] times = new long[2000];
        try (var connection = connections.getConnection()) {
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                connection.ping();
                times[i] = System.nanoTime() - start;
            }
        }
        System.out.printf(Locale.ROOT, "Redis round trip (PING): p50 %.3f ms, p99 %.3f ms; a relay handshake with close "
                        + "and delete makes 4 on one replica (create, 2 flights, delete: 1 each; 6 when calls "
                        + "alternate replicas)%n",
                Samples.percentileMillis(times, 50), Samples.percentileMillis(times, 99));
    }

    static URI uri(ConfigurableApplicationContext app) {
        return URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port"));
    }

    /** n handshakes (each with close and delete) over t client threads; the time of each handshake+close. */
    static long[] run(URI base, LocalCertificateAuthority ca, String suite, int n, int t) throws Exception {
        if (t == 1) {
            return RelayApiBenchmark.relay(HttpTransport.urlConnection(), base, ca, "TLSv1.2", suite, n);
        }
        ExecutorService pool = Executors.newFixedThreadPool(t);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                futures.add(pool.submit(() -> RelayApiBenchmark.relay(HttpTransport.urlConnection(), base, ca, "TLSv1.2", suite, n / t)));
            }
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : futures) {
                parts.add(f.get());
            }
            return merge(parts);
        } finally {
            pool.shutdownNow();
        }
    }

    static long[] merge(List<long[]> parts) {
        long[] all = new long[0];
        for (long[] part : parts) {
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        return all;
    }
}
