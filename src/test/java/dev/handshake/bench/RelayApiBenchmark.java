package dev.handshake.bench;

import dev.handshake.client.HttpTransport;
import dev.handshake.client.RelayClient;
import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.session.InMemorySessionRepository;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.tls.crypto.CryptoProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Relay API benchmark (not a test): what the REST layer adds to the engine's own handshake cost, and where it goes.
 * See docs/benchmarks-api.md for the command and the results.
 *
 * <p>One client, the JDK's SSLEngine in {@link JdkTlsPeer}, runs the same handshakes over several transports,
 * interleaved in rounds so that a change in machine load hits all of them alike:
 * <ul>
 *   <li><b>engine only</b> ({@link InMemoryRelay}): our engine in this process, configured as the relay service
 *       configures it, its state serialized between calls as the service stores it;
 *   <li><b>RelayClient's transports</b> ({@link TransportRelay}): the relay API over loopback, the requests
 *       RelayClient sends, through each {@link HttpTransport} (HttpURLConnection, the JDK HttpClient) and a candidate,
 *       Apache HttpClient 5 classic ({@link ApacheHttpTransport});
 *   <li><b>raw socket</b> ({@link RawHttpRelay}): the same requests over one kept-alive socket, no client pipeline.
 * </ul>
 * Since the client's TLS work is the same in all of them, {@code relay - engine only} is the REST layer alone. Each
 * request is also timed inside the server ({@link ServerTiming}: wall and thread CPU time), and an empty endpoint
 * ({@link EmptyEndpoint}) gives the floor of one HTTP round trip through the same stack.
 *
 * <p>Then: relay throughput with {@link RelayClient} over each transport on N client threads (handshake plus close),
 * and memory per stored established session.
 *
 * <p>Arguments: {@code [handshakes per transport and case, default 600] [client threads, default 2] [rounds, default 3]
 * [--spring.property=value ...]}; the properties configure the service, for A/B runs of one setting.
 */
public final class RelayApiBenchmark {

    /** One measured configuration: the version the session allows and the one suite the client offers. */
    record Case(String name, String version, String suite) {
    }

    private static final List<Case> CASES = List.of(
            new Case("TLS 1.2 ECDHE-RSA", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            new Case("TLS 1.2 RSA", "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            new Case("TLS 1.3", "TLSv1.3", "TLS_AES_128_GCM_SHA256"));
    private static final String ENGINE = "engine only", JDK = "relay, JDK HttpClient",
            URL_CONNECTION = "relay, HttpURLConnection", APACHE = "relay, Apache HttpClient 5",
            RAW = "relay, raw socket", RAW_JSON = "relay, raw, JSON start";
    /** The warm-up ends when the JIT compiles for less than this share of a pass's wall time... */
    private static final double SETTLED_JIT_SHARE = 0.05;
    /** ...or after this many passes. */
    private static final int MAX_WARM_UP_PASSES = 12;
    /** About the size of a client's second flight, for the empty round trip. */
    private static final byte[] FLIGHT_SIZED_BODY = new byte[150];

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        JdkTlsPeer.allowLegacyAlgorithms(); // before any SSLContext: the RSA key-exchange suite is disabled by default
        List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--handshake.proxy.port=0", "--logging.level.root=WARN", "--handshake.session.max-sessions=1000000",
                "--handshake.session.idle-timeout=30m", "--springdoc.api-docs.enabled=false",
                "--springdoc.swagger-ui.enabled=false"));
        // further arguments configure the service, for A/B runs of a setting
        springArgs.addAll(Arrays.asList(args).subList(Math.min(3, args.length), args.length));
        ConfigurableApplicationContext app = SpringApplication.run(
                new Class<?>[] {HandshakeServiceApplication.class, EmptyEndpoint.class, ServerTiming.class},
                springArgs.toArray(String[]::new));
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            URI base = URI.create("http://localhost:" + port);
            InetSocketAddress server = new InetSocketAddress("localhost", port);
            LocalCertificateAuthority ca = app.getBean(LocalCertificateAuthority.class);
            KeyStore trust = trustStore(ca);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, HttpTransport> clientTransports = new LinkedHashMap<>();
            clientTransports.put(JDK, HttpTransport.of(http));
            clientTransports.put(URL_CONNECTION, HttpTransport.urlConnection());
            ApacheHttpTransport apache = new ApacheHttpTransport();
            clientTransports.put(APACHE, apache);
            System.out.printf(Locale.ROOT, "JVM %s, %d cores, %d handshakes per transport and case in %d rounds; %s; "
                            + "service arguments %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), n,
                    rounds, load(), Arrays.asList(args).subList(Math.min(3, args.length), args.length));
            warmUpUntilCompiled(app, clientTransports, base, server, trust, n);
            for (Case c : casesInOrder()) {
                try (RawHttpRelay raw = new RawHttpRelay(server, c.version(), false, true, false);
                     RawHttpRelay rawJson = new RawHttpRelay(server, c.version(), true, true, false)) {
                    compare(c, trust, n, rounds, transports(app, c, clientTransports, base, raw, rawJson));
                }
                for (Map.Entry<String, HttpTransport> transport : clientTransports.entrySet()) {
                    throughput(transport.getKey(), transport.getValue(), base, ca, c, n, threads);
                }
            }
            emptyRoundTrips(clientTransports, base, server, 2 * n, rounds);
            apache.close();
            memory(server, trust, app.getBean(InMemorySessionRepository.class), Math.max(600, n));
        } finally {
            app.close();
        }
    }

    /**
     * Warm-up of every case over every transport, in passes, until a pass costs the JIT compiler under
     * {@value #SETTLED_JIT_SHARE} of its wall time (at most {@value #MAX_WARM_UP_PASSES} passes). Each case's own warm-up
     * in {@link #compare} is not enough: the HTTP and Spring code all cases share is still being compiled while the
     * first case is measured, and C2 then takes about one of the two cores from client and server; the first case
     * measured (ECDHE by default) read 0.3-1 ms dearer than when measured last (docs/benchmarks-api.md).
     */
    static void warmUpUntilCompiled(ConfigurableApplicationContext app, Map<String, HttpTransport> clientTransports,
                                    URI base, InetSocketAddress server, KeyStore trust, int n) throws IOException {
        int perTransport = Math.max(25, n / 6);
        for (int pass = 1; pass <= MAX_WARM_UP_PASSES; pass++) {
            long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long start = System.nanoTime();
            for (Case c : CASES) {
                try (RawHttpRelay raw = new RawHttpRelay(server, c.version(), false, true, false);
                     RawHttpRelay rawJson = new RawHttpRelay(server, c.version(), true, true, false)) {
                    for (RelayTransport transport : transports(app, c, clientTransports, base, raw, rawJson).values()) {
                        handshakes(c, trust, transport, perTransport);
                    }
                }
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
            System.out.printf(Locale.ROOT, "warm-up pass %d: %d handshakes per case and transport in %d ms, JIT "
                    + "compiling %d ms; %s%n", pass, perTransport, wallMillis, jitMillis, load());
            if (jitMillis < SETTLED_JIT_SHARE * wallMillis) {
                return;
            }
        }
    }

    /** Every transport of one case, engine only first: the baseline, then the relay API through each client. */
    static Map<String, RelayTransport> transports(ConfigurableApplicationContext app, Case c,
                                                  Map<String, HttpTransport> clientTransports, URI base,
                                                  RawHttpRelay raw, RawHttpRelay rawJson) {
        Map<String, RelayTransport> transports = new LinkedHashMap<>();
        transports.put(ENGINE, new InMemoryRelay(app.getBean(ServiceIdentity.class), app.getBean(CryptoProvider.class),
                c.version()));
        clientTransports.forEach((name, transport) ->
                transports.put(name, new TransportRelay(transport, base, c.version())));
        transports.put(RAW, raw);
        transports.put(RAW_JSON, rawJson);
        return transports;
    }

    /**
     * The cases in the order of {@code -Drelay.cases} (short names, comma-separated: {@code ecdhe}, {@code rsa},
     * {@code tls13}), by default ECDHE, RSA, TLS 1.3: for an A/B of the order itself.
     */
    static List<Case> casesInOrder() {
        String order = System.getProperty("relay.cases");
        if (order == null) {
            return CASES;
        }
        return Arrays.stream(order.split(",")).map(String::trim).map(RelayApiBenchmark::caseNamed).toList();
    }

    /** A case by its short name: {@code ecdhe}, {@code rsa} or {@code tls13}. */
    static Case caseNamed(String name) {
        return switch (name) {
            case "ecdhe" -> CASES.get(0);
            case "rsa" -> CASES.get(1);
            case "tls13" -> CASES.get(2);
            default -> throw new IllegalArgumentException("unknown case " + name + " (ecdhe, rsa, tls13)");
        };
    }

    /** The transports (engine only first) interleaved in {@code rounds}; then the decomposition. */
    static void compare(Case c, KeyStore trust, int n, int rounds, Map<String, RelayTransport> transports)
            throws IOException {
        InMemoryRelay engine = (InMemoryRelay) transports.get(ENGINE);
        Map<String, Samples> serverSide = new LinkedHashMap<>();
        for (String name : transports.keySet()) {
            handshakes(c, trust, transports.get(name), Math.max(50, n / 2)); // warm-up: JIT for every path
            serverSide.put(name, new Samples());
            if (transports.get(name) instanceof HttpRelay http) {
                http.roundTrips.clear();
            }
        }
        engine.serverTime.clear();
        Map<String, long[]> times = new LinkedHashMap<>();
        Map<String, List<Double>> roundMedians = new LinkedHashMap<>();
        String loadBefore = load();
        long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, RelayTransport> t : transports.entrySet()) {
                ServerTiming.into = serverSide.get(t.getKey());
                long[] part = handshakes(c, trust, t.getValue(), n / rounds);
                times.merge(t.getKey(), part, RelayApiBenchmark::concat);
                roundMedians.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(Samples.percentileMillis(part, 50));
            }
        }
        // the JIT compiler threads share the 2 cores with client and server: compiling during the measured rounds
        // slows whichever transports run then (the first case's REST paths most), so it is reported beside the load
        long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
        System.out.printf(Locale.ROOT, "%n== %s (%s), %d handshakes each; before: %s; after: %s; JIT compiling "
                        + "during the measured rounds: %d ms%n", c.name(), c.suite(), times.get(ENGINE).length,
                loadBefore, load(), jitMillis);
        System.out.printf(Locale.ROOT, "%-26s %13s %9s %9s   %s%n", "", "handshakes/s", "p50 ms", "p99 ms",
                "p50 per round");
        for (Map.Entry<String, long[]> t : times.entrySet()) {
            long[] v = t.getValue();
            System.out.printf(Locale.ROOT, "%-26s %13.0f %9.3f %9.3f   %s%n", t.getKey(),
                    1e9 / Arrays.stream(v).average().orElse(1), Samples.percentileMillis(v, 50),
                    Samples.percentileMillis(v, 99), roundMedians.get(t.getKey()).stream()
                            .map(m -> String.format(Locale.ROOT, "%.3f", m)).collect(Collectors.joining(" ")));
        }
        double engineP50 = Samples.percentileMillis(times.get(ENGINE), 50);
        System.out.printf(Locale.ROOT, "REST layer adds (p50): %s%n", times.entrySet().stream()
                .filter(t -> !t.getKey().equals(ENGINE))
                .map(t -> String.format(Locale.ROOT, "%s %+.3f ms", t.getKey(),
                        Samples.percentileMillis(t.getValue(), 50) - engineP50))
                .collect(Collectors.joining(", ")));
        System.out.printf(Locale.ROOT, "engine only: server part p50 %.3f ms (engine calls and state encoding), "
                + "client part ~%.3f ms%n", engine.serverTime.percentileMillis("handshake", 50),
                engineP50 - engine.serverTime.percentileMillis("handshake", 50));
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %12s %12s%n", "per request, p50 ms", "client RT",
                "server wall", "server CPU", "outside");
        for (String kind : List.of("create", "flight")) {
            for (Map.Entry<String, RelayTransport> t : transports.entrySet()) {
                if (t.getValue() instanceof HttpRelay http) {
                    perRequest(t.getKey(), kind, http.roundTrips, serverSide.get(t.getKey()));
                }
            }
        }
        ServerTiming.into = new Samples();
    }

    private static void perRequest(String transport, String kind, Samples client, Samples server) {
        double rt = client.percentileMillis(kind, 50);
        double wall = server.percentileMillis(kind + " wall", 50);
        System.out.printf(Locale.ROOT, "%-34s %12.3f %12.3f %12.3f %12.3f%n", kind + " (" + transport + ")", rt, wall,
                server.percentileMillis(kind + " cpu", 50), rt - wall);
    }

    /** {@code n} handshakes over {@code transport}; each client is built (a new SSLContext) outside the timed part. */
    static long[] handshakes(Case c, KeyStore trust, RelayTransport transport, int n) throws IOException {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = handshake(c, trust, transport);
            transport.forget();
        }
        return times;
    }

    /** One handshake; returns its duration, the client's construction excluded. */
    static long handshake(Case c, KeyStore trust, RelayTransport transport) throws IOException {
        return handshake(c, client(c, trust), transport);
    }

    /** A new JDK client for {@code c}: a new SSLContext, so no session is resumed. */
    static JdkTlsPeer client(Case c, KeyStore trust) {
        return JdkTlsPeer.client().protocols(c.version()).cipherSuites(c.suite()).trust(trust).build();
    }

    /** One handshake of {@code client}, built beforehand; returns its duration. */
    static long handshake(Case c, JdkTlsPeer client, RelayTransport transport) throws IOException {
        long start = System.nanoTime();
        byte[] toServer = client.receive(transport.open(client.produce()));
        // TLS 1.2: the client's second flight is answered by CCS and Finished; TLS 1.3: its Finished is answered by
        // nothing or a NewSessionTicket. Either way two calls, in every transport alike.
        for (int round = 0; toServer.length > 0; round++) {
            if (round == 4) {
                throw new IllegalStateException("handshake did not settle in 4 flights");
            }
            toServer = client.receive(transport.flight(toServer));
        }
        long elapsed = System.nanoTime() - start;
        if (!client.handshakeDone()) {
            throw new IllegalStateException(c.name() + " handshake did not complete", client.failure());
        }
        return elapsed;
    }

    /** The floor: a POST of a flight's size to an endpoint that does nothing, through the same stack. */
    static void emptyRoundTrips(Map<String, HttpTransport> transports, URI base, InetSocketAddress server, int n,
                                int rounds) throws IOException {
        try (RawHttpRelay raw = new RawHttpRelay(server, "TLSv1.2", false, true, false);
             RawHttpRelay nagle = new RawHttpRelay(server, "TLSv1.2", false, false, true);
             RawHttpRelay splitNoDelay = new RawHttpRelay(server, "TLSv1.2", false, true, true)) {
            Map<String, HttpRelay> clients = new LinkedHashMap<>();
            transports.forEach((name, transport) ->
                    clients.put(name.replace("relay, ", ""), new TransportRelay(transport, base, "TLSv1.2")));
            clients.put("raw socket", raw);
            // interleaved with the others: measured alone between Nagle's 40 ms stalls, it looked 15x slower
            clients.put("raw socket, head and body in two writes", splitNoDelay);
            Map<String, Samples> serverSide = new LinkedHashMap<>();
            for (Map.Entry<String, HttpRelay> client : clients.entrySet()) {
                for (int i = 0; i < n / 2; i++) {
                    client.getValue().empty(FLIGHT_SIZED_BODY);
                }
                client.getValue().roundTrips.clear();
                serverSide.put(client.getKey(), new Samples());
            }
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, HttpRelay> client : clients.entrySet()) {
                    ServerTiming.into = serverSide.get(client.getKey());
                    for (int i = 0; i < n / rounds; i++) {
                        client.getValue().empty(FLIGHT_SIZED_BODY);
                    }
                }
            }
            // Nagle on and the body written after the head: the body waits for the head's (delayed) ACK
            for (int i = 0; i < 40; i++) {
                nagle.empty(FLIGHT_SIZED_BODY);
            }
            System.out.printf(Locale.ROOT, "%n== empty POST (%d bytes), %d each; %s%n", FLIGHT_SIZED_BODY.length, n,
                    load());
            System.out.printf(Locale.ROOT, "%-44s %10s %10s %12s %12s%n", "", "RT p50 ms", "RT p99 ms",
                    "server wall", "server CPU");
            for (Map.Entry<String, HttpRelay> client : clients.entrySet()) {
                Samples inServer = serverSide.get(client.getKey());
                System.out.printf(Locale.ROOT, "%-44s %10.3f %10.3f %12.3f %12.3f%n", client.getKey(),
                        client.getValue().roundTrips.percentileMillis("empty", 50),
                        client.getValue().roundTrips.percentileMillis("empty", 99),
                        inServer.percentileMillis("empty wall", 50), inServer.percentileMillis("empty cpu", 50));
            }
            System.out.printf(Locale.ROOT, "%-44s %10.3f %10.3f%n", "raw socket, two writes, Nagle on (no NODELAY)",
                    nagle.roundTrips.percentileMillis("empty", 50), nagle.roundTrips.percentileMillis("empty", 99));
            System.out.printf(Locale.ROOT, "raw socket TCP connections for %d requests: %d (keep-alive)%n",
                    raw.roundTrips.values("empty").length + n / 2, raw.connections());
            ServerTiming.into = new Samples();
        }
    }

    /** RelayClient over {@code transport}, on {@code threads} client threads: handshake plus close (close_notify, DELETE). */
    static void throughput(String name, HttpTransport transport, URI base, LocalCertificateAuthority ca, Case c, int n,
                           int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> relay(transport, base, ca, c.version(), c.suite(), n / threads)));
            }
            long[] all = new long[0];
            for (Future<long[]> f : futures) {
                all = concat(all, f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "RelayClient (%s), %d client threads: %.0f handshakes/s (incl. close), "
                            + "handshake p50 %.3f ms, p99 %.3f ms%n", name.replace("relay, ", ""), threads,
                    all.length / seconds,
                    Samples.percentileMillis(all, 50), Samples.percentileMillis(all, 99));
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} handshakes with RelayClient, each closed; the time of each handshake (the close untimed). */
    static long[] relay(HttpTransport transport, URI base, LocalCertificateAuthority ca, String version, String suite,
                        int n) throws Exception {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            SSLEngine engine = sslEngine(ca, version, suite);
            long start = System.nanoTime();
            RelayClient tls = RelayClient.connect(transport, base, engine, "{\"version\":\"" + version + "\"}");
            times[i] = System.nanoTime() - start;
            tls.close();
        }
        return times;
    }

    /** Established sessions of every case held in the store: encoded bytes each, and heap growth. */
    static void memory(InetSocketAddress server, KeyStore trust, InMemorySessionRepository repository, int n)
            throws IOException, InterruptedException {
        long before = usedHeap();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (Case c : CASES) {
            try (RawHttpRelay relay = new RawHttpRelay(server, c.version(), false, true, false)) {
                for (int i = 0; i < n / CASES.size(); i++) {
                    handshake(c, trust, relay); // and not forgotten: this run measures what held sessions cost
                    ids.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(relay.sessionId());
                }
            }
        }
        long after = usedHeap();
        System.out.printf(Locale.ROOT, "%n== memory: %d established relay sessions held; heap growth %.0f bytes/session "
                + "(entries, map nodes, ids)%n", n, (double) (after - before) / n);
        for (Map.Entry<String, List<String>> e : ids.entrySet()) {
            System.out.printf(Locale.ROOT, "%-20s encoded %.0f bytes/session (max %d)%n", e.getKey(),
                    e.getValue().stream().mapToLong(repository::storedBytes).average().orElse(0),
                    e.getValue().stream().mapToInt(repository::storedBytes).max().orElse(0));
        }
    }

    static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static KeyStore trustStore(LocalCertificateAuthority ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        return trust;
    }

    static SSLEngine sslEngine(LocalCertificateAuthority ca, String version, String suite) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trustStore(ca));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {version});
        engine.setEnabledCipherSuites(new String[] {suite});
        return engine;
    }

    /** The system load average: other work on the machine changes every latency here. */
    static String load() {
        return String.format(Locale.ROOT, "load average %.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
