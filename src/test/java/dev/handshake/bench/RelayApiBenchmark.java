package dev.handshake.bench;

import dev.handshake.client.RelayClient;
import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.session.InMemorySessionRepository;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Relay API benchmark (not a test): handshakes per second and p50/p99 latency over loopback HTTP, against the same
 * JDK client driving the engine in memory (with the state serialized after every call, as the service does), so the
 * difference is what the REST layer adds; and memory per stored established session. See docs/benchmarks-api.md.
 *
 * <p>Arguments: {@code [handshakes per suite, default 400] [threads for the throughput run, default 4]}.
 */
public final class RelayApiBenchmark {

    private static final String[] SUITES = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        JdkTlsPeer.allowLegacyAlgorithms(); // before any SSLContext: the RSA key-exchange suite is disabled by default
        ConfigurableApplicationContext app = SpringApplication.run(HandshakeServiceApplication.class,
                "--server.port=0", "--logging.level.root=WARN", "--handshake.session.max-sessions=1000000",
                "--handshake.session.idle-timeout=30m", "--springdoc.api-docs.enabled=false",
                "--springdoc.swagger-ui.enabled=false");
        try {
            URI base = URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port"));
            LocalCertificateAuthority ca = app.getBean(LocalCertificateAuthority.class);
            ServiceIdentity identity = app.getBean(ServiceIdentity.class);
            CryptoProvider crypto = app.getBean(CryptoProvider.class);
            InMemorySessionRepository repository = app.getBean(InMemorySessionRepository.class);
            System.out.printf(Locale.ROOT, "JVM %s, %d cores, %d handshakes per run%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), n);
            for (String suite : SUITES) {
                // warm-up: JIT for both paths
                engineOnly(ca, identity, crypto, suite, n / 2);
                relay(base, ca, suite, n / 2, true);
                long[] engine = engineOnly(ca, identity, crypto, suite, n);
                long[] http = relay(base, ca, suite, n, true);
                report(suite + " engine only (in memory)", engine);
                report(suite + " relay API (HTTP loopback)", http);
                System.out.printf(Locale.ROOT, "%s REST layer adds: p50 %.3f ms, p99 %.3f ms%n", suite,
                        ms(percentile(http, 50) - percentile(engine, 50)), ms(percentile(http, 99) - percentile(engine, 99)));
                throughput(base, ca, suite, n, threads);
            }
            memory(base, ca, repository, Math.max(500, n));
        } finally {
            app.close();
        }
    }

    static SSLEngine client(LocalCertificateAuthority ca, String suite) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.2"});
        engine.setEnabledCipherSuites(new String[] {suite});
        return engine;
    }

    /** The JDK client against our engine in memory, serializing the server state after every call. */
    static long[] engineOnly(LocalCertificateAuthority ca, ServiceIdentity identity, CryptoProvider crypto, String suite,
                             int n) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TlsEngine server = new TlsEngine(TlsConfig.server().identity(identity.identity())
                .trustAnchors(identity.trustAnchors()).build(), crypto);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            // the client is built outside the timed part, as in the relay run
            JdkTlsPeer client = JdkTlsPeer.client().protocols("TLSv1.2").cipherSuites(suite).trust(trust).build();
            long start = System.nanoTime();
            byte[] state = server.start().state().toBytes();
            byte[] toServer = client.produce();
            for (int round = 0; round < 6 && !client.handshakeDone(); round++) {
                Step step = server.advance(ConnectionState.fromBytes(state), toServer);
                state = step.state().toBytes();
                toServer = client.receive(step.outbound());
            }
            if (!client.handshakeDone()) {
                throw new IllegalStateException("in-memory handshake did not complete");
            }
            times[i] = System.nanoTime() - start;
        }
        return times;
    }

    static long[] relay(URI base, LocalCertificateAuthority ca, String suite, int n, boolean close) throws Exception {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            SSLEngine engine = client(ca, suite);
            long start = System.nanoTime();
            RelayClient tls = RelayClient.connect(base, engine);
            times[i] = System.nanoTime() - start;
            if (close) {
                tls.close();
            }
        }
        return times;
    }

    static void throughput(URI base, LocalCertificateAuthority ca, String suite, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> relay(base, ca, suite, n / threads, true)));
            }
            long[] all = new long[0];
            for (Future<long[]> f : futures) {
                long[] part = f.get();
                long[] merged = Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, merged, all.length, part.length);
                all = merged;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s relay API, %d client threads: %.0f handshakes/s (incl. close), "
                            + "p50 %.3f ms, p99 %.3f ms%n", suite, threads, all.length / seconds,
                    ms(percentile(all, 50)), ms(percentile(all, 99)));
        } finally {
            pool.shutdownNow();
        }
    }

    static void memory(URI base, LocalCertificateAuthority ca, InMemorySessionRepository repository, int n) throws Exception {
        long before = usedHeap();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RelayClient tls = RelayClient.connect(base, client(ca, SUITES[i % SUITES.length]));
            ids.add(tls.sessionId());
        }
        long after = usedHeap();
        long bytes = ids.stream().mapToLong(repository::storedBytes).sum();
        System.out.printf(Locale.ROOT, "memory: %d established relay sessions stored; encoded %.0f bytes/session "
                        + "(max %d); heap growth %.0f bytes/session (includes map entries and ids)%n", n,
                (double) bytes / n, ids.stream().mapToInt(repository::storedBytes).max().orElse(0),
                (double) (after - before) / n);
    }

    static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static void report(String label, long[] times) {
        double mean = Arrays.stream(times).average().orElse(0);
        System.out.printf(Locale.ROOT, "%s: %.0f handshakes/s (1 thread), p50 %.3f ms, p99 %.3f ms%n", label,
                1e9 / mean, ms(percentile(times, 50)), ms(percentile(times, 99)));
    }

    static long percentile(long[] times, int p) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
