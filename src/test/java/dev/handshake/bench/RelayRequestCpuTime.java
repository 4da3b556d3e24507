package dev.handshake.bench;

import dev.handshake.service.HandshakeServiceApplication;
import dev.handshake.service.capture.CaptureProperties;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.resumption.Tls12SessionCaches;
import dev.handshake.service.session.EngineEvents;
import dev.handshake.service.session.Mode;
import dev.handshake.service.session.SessionCapture;
import dev.handshake.service.session.SessionCodec;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Role;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.event.HandshakeEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the relay service's CPU per request goes, piece by piece (not a test): the steps {@code RelayService},
 * {@code Sessions} and the in-memory repository take for a start, a flight and a delete, replayed in this process on
 * the service's own beans (identity, crypto, ticket keys, session cache, metrics), each piece timed by the thread's CPU
 * clock. What HTTP, Tomcat and Spring MVC cost comes from {@link RelayApiBenchmark}'s {@link ServerTiming} beside it.
 *
 * <p>Arguments: {@code [handshakes per case, default 2000]}.
 */
public final class RelayRequestCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[][] CASES = {
            {"TLS 1.2 ECDHE-RSA", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"TLS 1.2 RSA", "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"},
            {"TLS 1.3", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}};

    private final ServiceIdentity identity;
    private final CryptoProvider crypto;
    private final RotatingTicketKeys tickets;
    private final Tls12SessionCaches caches;
    private final HandshakeMetrics metrics;
    private final CaptureProperties capture;
    private Samples samples = new Samples();
    private long mark;

    private RelayRequestCpuTime(ConfigurableApplicationContext app) {
        identity = app.getBean(ServiceIdentity.class);
        crypto = app.getBean(CryptoProvider.class);
        tickets = app.getBean(RotatingTicketKeys.class);
        caches = app.getBean(Tls12SessionCaches.class);
        metrics = app.getBean(HandshakeMetrics.class);
        capture = app.getBean(CaptureProperties.class);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        JdkTlsPeer.allowLegacyAlgorithms();
        ConfigurableApplicationContext app = SpringApplication.run(HandshakeServiceApplication.class,
                "--server.port=0", "--management.server.port=0", "--handshake.proxy.port=0",
                "--logging.level.root=WARN", "--springdoc.api-docs.enabled=false");
        try {
            RelayRequestCpuTime bench = new RelayRequestCpuTime(app);
            KeyStore trust = RelayApiBenchmark.trustStore(app.getBean(LocalCertificateAuthority.class));
            System.out.printf(Locale.ROOT, "%d handshakes per case; load average %.2f%n", n,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            for (String[] c : CASES) {
                for (int i = 0; i < n / 2; i++) {
                    bench.handshake(c, trust); // warm-up
                }
                bench.samples = new Samples();
                for (int i = 0; i < n; i++) {
                    bench.handshake(c, trust);
                }
                bench.report(c[0]);
            }
        } finally {
            app.close();
        }
    }

    private void handshake(String[] c, KeyStore trust) throws Exception {
        JdkTlsPeer client = JdkTlsPeer.client().protocols(c[1]).cipherSuites(c[2]).trust(trust).build();
        SessionOptions options = new SessionOptions(c[1], "COMPATIBLE", null, null, null, "NONE", List.of(),
                List.of(), 0);
        byte[] stored = start(options, client.produce(), client);
        for (int round = 0; round < 4 && stored != null; round++) {
            stored = flight(stored, client);
        }
        if (!client.handshakeDone()) {
            throw new IllegalStateException(c[0] + " did not complete", client.failure());
        }
    }

    /** The client's reply to the answer, or null when it has nothing more to say. */
    private byte[] start(SessionOptions options, byte[] firstFlight, JdkTlsPeer client) throws Exception {
        begin();
        String id = SessionIds.next();
        lap("create", "session id");
        TlsEngine engine = engine(options);
        lap("create", "engine built");
        // as RelayService.start: the initial state goes to the engine as it is (before 2026-11-28 it was encoded and
        // decoded again first: 6-15 µs and 12-21 µs by this harness, at load average 12)
        ConnectionState state = engine.start().state();
        lap("create", "engine start");
        SessionRecord session = new SessionRecord(id, Mode.RELAY, options, 0, SessionStatus.HANDSHAKING,
                List.of(), List.of(), 0, null, null, 0, 0);
        byte[] out = advance("create", engine, session, state, firstFlight);
        byte[] reply = client.receive(out);
        return reply.length == 0 ? null : pending(reply);
    }

    private byte[] pendingStored;
    private byte[] pendingRecords;

    private byte[] pending(byte[] reply) {
        pendingRecords = reply;
        return pendingStored;
    }

    private byte[] flight(byte[] stored, JdkTlsPeer client) throws Exception {
        begin();
        SessionRecord session = SessionCodec.decode(stored);
        lap("flight", "SessionCodec.decode");
        TlsEngine engine = engine(session.options());
        lap("flight", "engine built");
        ConnectionState state = ConnectionState.fromBytes(session.states().get(0));
        lap("flight", "fromBytes");
        byte[] out = advance("flight", engine, session, state, pendingRecords);
        byte[] reply = client.receive(out);
        if (reply.length == 0) {
            delete(pendingStored);
            return null;
        }
        return pending(reply);
    }

    private void delete(byte[] stored) {
        begin();
        SessionRecord session = SessionCodec.decode(stored);
        lap("delete", "SessionCodec.decode");
        ConnectionState state = ConnectionState.fromBytes(session.states().get(0));
        lap("delete", "fromBytes");
        TlsEngine engine = engine(session.options());
        lap("delete", "engine built");
        engine.close(state);
        lap("delete", "engine close");
    }

    private byte[] advance(String kind, TlsEngine engine, SessionRecord session, ConnectionState state,
                           byte[] records) {
        Step step = engine.advance(state, records);
        lap(kind, "engine advance");
        List<HandshakeEvent> events = new ArrayList<>(step.events());
        ConnectionState next = step.state();
        metrics.observe(new HandshakeMetrics.Context(HandshakeMetrics.Source.API, "relay", session.id(), null,
                null), events, next, Duration.ofMillis(3));
        lap(kind, "metrics");
        EngineEvents.Appended transcript = EngineEvents.append(session.transcript(), session.droppedEvents(), events,
                Role.SERVER, 64);
        lap(kind, "transcript");
        SessionCapture captured = session.capture().withEvents(events)
                .withRecords(true, records, capture.maxBytes())
                .withRecords(false, step.outbound(), capture.maxBytes());
        lap(kind, "capture");
        byte[] nextState = next.toBytes();
        lap(kind, "toBytes");
        SessionRecord after = session.advanced(EngineEvents.status(next), List.of(nextState),
                transcript.transcript(), transcript.dropped(), EngineEvents.failure(next), null, 0)
                .withCapture(captured);
        lap(kind, "record + status");
        pendingStored = SessionCodec.encode(after.withVersion(session.version() + 1));
        lap(kind, "SessionCodec.encode");
        return step.outbound();
    }

    private TlsEngine engine(SessionOptions options) {
        return new TlsEngine(TlsOptions.common(TlsConfig.server(), options, List.of())
                .identity(identity.identity()).trustAnchors(identity.trustAnchors())
                .clientAuth(ClientAuth.valueOf(options.clientAuth()))
                .ticketKeys(tickets.current()).ticketLifetimeSeconds(tickets.lifetimeSeconds())
                .sessionCache(caches.relay()).resumptionContextLabel("relay")
                .revealSecrets(capture.relayKeyExport()).build(), crypto);
    }

    private void begin() {
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void lap(String kind, String piece) {
        long now = THREADS.getCurrentThreadCpuTime();
        samples.add(kind + "|" + piece, now - mark);
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void report(String name) {
        System.out.printf(Locale.ROOT, "%n== %s: server CPU per piece (µs, p50 and mean)%n", name);
        Map<String, double[]> totals = new LinkedHashMap<>();
        for (String kind : List.of("create", "flight", "delete")) {
            double p50Sum = 0;
            double meanSum = 0;
            for (String key : keys(kind)) {
                long[] v = samples.values(key);
                double p50 = Samples.percentileMillis(v, 50) * 1000;
                double mean = java.util.Arrays.stream(v).average().orElse(0) / 1000;
                p50Sum += p50;
                meanSum += mean;
                System.out.printf(Locale.ROOT, "  %-7s %-28s %8.1f %8.1f  (n=%d)%n", kind, key.substring(kind.length() + 1),
                        p50, mean, v.length);
            }
            totals.put(kind, new double[] {p50Sum, meanSum});
        }
        totals.forEach((kind, t) -> System.out.printf(Locale.ROOT, "  %-7s %-28s %8.1f %8.1f%n", kind, "SUM",
                t[0], t[1]));
    }

    private List<String> keys(String kind) {
        List<String> keys = new ArrayList<>();
        for (String piece : List.of("session id", "SessionCodec.decode", "engine built", "engine start",
                "fromBytes", "engine advance", "engine close", "metrics", "transcript", "capture", "toBytes",
                "record + status", "SessionCodec.encode")) {
            if (samples.values(kind + "|" + piece).length > 0) {
                keys.add(kind + "|" + piece);
            }
        }
        return keys;
    }
}
