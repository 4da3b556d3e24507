package dev.handshake.bench;

import dev.handshake.client.HttpTransport;
import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.testing.JdkTlsPeer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the time of one relay request goes, as a timeline (not a test): the client (the JDK's SSLEngine over the raw
 * socket client or {@code HttpURLConnection}) and the service run in one JVM and read one clock, so each request is
 * cut into client send, Tomcat's start of reading it, the filter chain's entry, the response's flush, the client's
 * receipt and the chain's exit ({@link RequestTimeline}), plus the client's own TLS work between two requests.
 *
 * <p>Arguments: {@code [handshakes per case and client, default 300] [cases: ecdhe,rsa,tls13]
 * [clients: engine,raw,url] [--spring.property=value ...]}; {@code engine} is the engine-only baseline, in this thread.
 * Prints the p25/p50/p75 of each segment per request kind, the client thread's CPU per handshake, and the first
 * timelines in full. {@code -Dtimeline.pause=ms} waits that long after the warm-up, printing the pid, so that
 * {@code strace -f -p} or {@code perf record -p} can be attached to the measured part only.
 */
public final class RelayTimeline {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One request as the client saw it: sent at {@code send}, its answer read completely at {@code received}. */
    private record ClientRequest(String kind, long send, long received) {
    }

    /** The relay calls of a transport, each bracketed by the client's clock. */
    private static final class Timed implements RelayTransport {
        final List<ClientRequest> requests = new ArrayList<>();
        private final RelayTransport inner;

        Timed(RelayTransport inner) {
            this.inner = inner;
        }

        @Override
        public byte[] open(byte[] firstFlight) throws IOException {
            return timed("create", () -> inner.open(firstFlight));
        }

        @Override
        public byte[] flight(byte[] records) throws IOException {
            return timed("flight", () -> inner.flight(records));
        }

        @Override
        public void forget() throws IOException {
            timed("delete", () -> {
                inner.forget();
                return null;
            });
        }

        private byte[] timed(String kind, Call call) throws IOException {
            long send = System.nanoTime();
            byte[] answer = call.run();
            requests.add(new ClientRequest(kind, send, System.nanoTime()));
            return answer;
        }

        /** One relay call. */
        private interface Call {
            byte[] run() throws IOException;
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        List<String> cases = Arrays.asList((args.length > 1 ? args[1] : "ecdhe,rsa,tls13").split(","));
        List<String> clients = Arrays.asList((args.length > 2 ? args[2] : "raw,url").split(","));
        JdkTlsPeer.allowLegacyAlgorithms();
        List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--handshake.proxy.port=0", "--logging.level.root=WARN", "--handshake.session.max-sessions=1000000",
                "--springdoc.api-docs.enabled=false", "--springdoc.swagger-ui.enabled=false"));
        springArgs.addAll(Arrays.asList(args).subList(Math.min(3, args.length), args.length));
        ConfigurableApplicationContext app = SpringApplication.run(
                new Class<?>[] {HandshakeServiceApplication.class, RequestTimeline.class},
                springArgs.toArray(String[]::new));
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            URI base = URI.create("http://localhost:" + port);
            InetSocketAddress server = new InetSocketAddress("localhost", port);
            KeyStore trust = RelayApiBenchmark.trustStore(app.getBean(LocalCertificateAuthority.class));
            System.out.printf(Locale.ROOT, "JVM %s, %d handshakes per case and client; %s%n", Runtime.version(), n,
                    RelayApiBenchmark.load());
            for (String caseName : cases) {
                RelayApiBenchmark.Case c = RelayApiBenchmark.caseNamed(caseName);
                for (String client : clients) {
                    if (client.equals("engine")) {
                        engineOnly(c, trust, new InMemoryRelay(app.getBean(ServiceIdentity.class),
                                app.getBean(CryptoProvider.class), c.version()), n);
                        continue;
                    }
                    try (RelayTransport transport = client.equals("raw")
                            ? new RawHttpRelay(server, c.version(), false, true, false)
                            : new TransportRelay(HttpTransport.urlConnection(), base, c.version())) {
                        run(c, client, trust, transport, n);
                    }
                }
            }
        } finally {
            app.close();
        }
    }

    private static void run(RelayApiBenchmark.Case c, String client, KeyStore trust, RelayTransport transport, int n)
            throws IOException {
        RelayApiBenchmark.handshakes(c, trust, transport, Math.max(100, n)); // warm-up
        sleep(100); // the warm-up's last request may still be leaving the filter chain
        RequestTimeline.drain();
        long pause = Long.getLong("timeline.pause", 0);
        if (pause > 0) {
            // time to attach a tracer (strace -f -p, perf) to the warmed-up process before the measured handshakes
            System.out.printf(Locale.ROOT, "measuring in %d ms, pid %d%n", pause, ProcessHandle.current().pid());
            sleep(pause);
        }
        Timed timed = new Timed(transport);
        long[] handshakes = new long[n];
        long[] clientCpu = new long[n];
        handshakes(c, trust, timed, handshakes, clientCpu);
        sleep(100);
        List<RequestTimeline.ServerRequest> server = RequestTimeline.drain();
        if (server.size() != timed.requests.size()) {
            throw new IllegalStateException("client sent " + timed.requests.size() + " requests, server saw "
                    + server.size());
        }
        Map<String, Map<String, List<Long>>> segments = new LinkedHashMap<>();
        int threadChanges = 0;
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < server.size(); i++) {
            ClientRequest cr = timed.requests.get(i);
            RequestTimeline.ServerRequest sr = server.get(i);
            if (!cr.kind().equals(sr.kind())) {
                throw new IllegalStateException("request " + i + ": client " + cr.kind() + ", server " + sr.kind());
            }
            Map<String, List<Long>> s = segments.computeIfAbsent(cr.kind(), k -> new LinkedHashMap<>());
            long flushed = sr.flushed() == 0 ? sr.exit() : sr.flushed();
            add(s, "client send -> Tomcat reads", sr.tomcatStart() - cr.send());
            add(s, "Tomcat reads -> filter chain", sr.enter() - sr.tomcatStart());
            add(s, "chain -> answer written (wall)", flushed - sr.enter());
            add(s, "  its CPU time", sr.cpuBeforeFlush());
            add(s, "written -> client has answer", cr.received() - flushed);
            add(s, "written -> chain left (tail)", sr.exit() - flushed);
            add(s, "  the tail's CPU time", sr.cpuAfterFlush());
            add(s, "client round trip", cr.received() - cr.send());
            if (i > 0) {
                ClientRequest previous = timed.requests.get(i - 1);
                RequestTimeline.ServerRequest previousServer = server.get(i - 1);
                add(s, "client work before send", cr.send() - previous.received());
                add(s, "previous tail left - send", previousServer.exit() - cr.send());
                if (!previousServer.thread().equals(sr.thread())) {
                    threadChanges++;
                }
            }
            if (i < 9) {
                examples.append(String.format(Locale.ROOT,
                        "  %-6s %-28s send %8.3f  tomcat %+7.3f  chain %+7.3f  written %+7.3f  client has it %+7.3f  "
                                + "chain left %+7.3f  (ms from send)%n", cr.kind(), sr.thread(), 0.0,
                        ms(sr.tomcatStart() - cr.send()), ms(sr.enter() - cr.send()), ms(flushed - cr.send()),
                        ms(cr.received() - cr.send()), ms(sr.exit() - cr.send())));
            }
        }
        System.out.printf(Locale.ROOT, "%n== %s, %s client: %d handshakes, p50 %.3f ms, client thread CPU p50 %.3f "
                        + "ms; %s; %d of %d requests on another worker thread than the one before%n", c.name(), client,
                handshakes.length, Samples.percentileMillis(handshakes, 50), Samples.percentileMillis(clientCpu, 50),
                RelayApiBenchmark.load(), threadChanges, server.size());
        for (Map.Entry<String, Map<String, List<Long>>> kind : segments.entrySet()) {
            System.out.printf(Locale.ROOT, "  %s%n", kind.getKey());
            for (Map.Entry<String, List<Long>> segment : kind.getValue().entrySet()) {
                long[] v = segment.getValue().stream().mapToLong(Long::longValue).toArray();
                System.out.printf(Locale.ROOT, "    %-32s p25 %8.3f  p50 %8.3f  p75 %8.3f ms%n", segment.getKey(),
                        Samples.percentileMillis(v, 25), Samples.percentileMillis(v, 50),
                        Samples.percentileMillis(v, 75));
            }
        }
        System.out.print(examples);
    }

    /** The engine-only baseline in this thread: its handshake time and CPU, the server's share of it. */
    private static void engineOnly(RelayApiBenchmark.Case c, KeyStore trust, InMemoryRelay engine, int n)
            throws IOException {
        RelayApiBenchmark.handshakes(c, trust, engine, Math.max(100, n)); // warm-up
        engine.serverTime.clear();
        long[] handshakes = new long[n];
        long[] cpu = new long[n];
        handshakes(c, trust, engine, handshakes, cpu);
        System.out.printf(Locale.ROOT, "%n== %s, engine only: %d handshakes, p50 %.3f ms, thread CPU p50 %.3f ms "
                        + "(server part, wall, p50 %.3f ms); %s%n", c.name(), n,
                Samples.percentileMillis(handshakes, 50), Samples.percentileMillis(cpu, 50), engine.serverTime.percentileMillis("handshake", 50),
                RelayApiBenchmark.load());
    }

    /** One handshake per slot of {@code times}: its duration, and this thread's CPU time for it in {@code cpu}. */
    private static void handshakes(RelayApiBenchmark.Case c, KeyStore trust, RelayTransport transport, long[] times,
                                   long[] cpu) throws IOException {
        for (int i = 0; i < times.length; i++) {
            JdkTlsPeer client = RelayApiBenchmark.client(c, trust); // a new SSLContext, built outside the measurement
            long before = THREADS.getCurrentThreadCpuTime();
            times[i] = RelayApiBenchmark.handshake(c, client, transport);
            cpu[i] = THREADS.getCurrentThreadCpuTime() - before;
            transport.forget();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void add(Map<String, List<Long>> segments, String name, long nanos) {
        segments.computeIfAbsent(name, k -> new ArrayList<>()).add(nanos);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
