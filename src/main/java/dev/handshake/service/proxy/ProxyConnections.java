package dev.handshake.service.proxy;

import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.observability.KeyLogFile;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live client connections of the listener and the counters of how connections ended. Thread-safe. */
final class ProxyConnections {

    /** What is counted; the names are those the actuator endpoint shows. */
    enum Counter {
        ACCEPTED("accepted"),
        REFUSED_OVER_LIMIT("refusedOverLimit"),
        HANDSHAKES_COMPLETED("handshakesCompleted"),
        HANDSHAKE_FAILURES("handshakeFailures"),
        HANDSHAKE_TIMEOUTS("handshakeTimeouts"),
        IDLE_TIMEOUTS("idleTimeouts"),
        UNRECOGNIZED_NAMES("unrecognizedNames"),
        UPSTREAM_FAILURES("upstreamFailures"),
        CLIENT_RESETS("clientResets"),
        CLOSED_BY_SHUTDOWN("closedByShutdown"),
        CLOSED("closed");

        final String label;

        Counter(String label) {
            this.label = label;
        }
    }

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Long, ProxyConnection> live = new ConcurrentHashMap<>();
    private final Map<Counter, LongAdder> counters = new java.util.EnumMap<>(Counter.class);

    /** Plaintext and TLS bytes of connections already closed; live ones are added at read time. */
    private final LongAdder closedBytesFromClient = new LongAdder();
    private final LongAdder closedBytesToClient = new LongAdder();
    private final LongAdder closedBytesToUpstream = new LongAdder();
    private final LongAdder closedBytesFromUpstream = new LongAdder();
    private final HandshakeMetrics metrics;
    private final KeyLogFile keyLog;

    ProxyConnections(Clock clock) {
        this(clock, HandshakeMetrics.discarding(), null);
    }

    /** @param keyLog where the proxy appends SSLKEYLOGFILE lines; null: none (the default) */
    ProxyConnections(Clock clock, HandshakeMetrics metrics, KeyLogFile keyLog) {
        this.clock = clock;
        this.metrics = metrics;
        this.keyLog = keyLog;
        for (Counter counter : Counter.values()) {
            counters.put(counter, new LongAdder());
        }
    }

    /** Reserves a slot; null when {@code max} connections are already open (the caller closes the channel). */
    ProxyConnection open(String peer, int max) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            count(Counter.REFUSED_OVER_LIMIT);
            return null;
        }
        count(Counter.ACCEPTED);
        ProxyConnection connection = new ProxyConnection(ids.incrementAndGet(), peer, clock.instant());
        live.put(connection.id, connection);
        return connection;
    }

    void closed(ProxyConnection connection) {
        if (live.remove(connection.id) != null) {
            closedBytesFromClient.add(connection.bytesFromClient);
            closedBytesToClient.add(connection.bytesToClient);
            closedBytesToUpstream.add(connection.bytesToUpstream);
            closedBytesFromUpstream.add(connection.bytesFromUpstream);
            open.decrementAndGet();
            count(Counter.CLOSED);
        }
    }

    void count(Counter counter) {
        counters.get(counter).increment();
    }

    long get(Counter counter) {
        return counters.get(counter).sum();
    }

    int openCount() {
        return open.get();
    }

    Map<String, Long> counters() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Counter counter : Counter.values()) {
            values.put(counter.label, counters.get(counter).sum());
        }
        return values;
    }

    List<ProxyConnection> live() {
        List<ProxyConnection> all = new ArrayList<>(live.values());
        all.sort(Comparator.comparingLong(c -> c.id));
        return all;
    }

    HandshakeMetrics metrics() {
        return metrics;
    }

    /** The upstream connect timers by route and outcome, found once each rather than registered per connection. */
    private final Map<String, Timer> upstreamConnectTimers = new ConcurrentHashMap<>();

    /** {@code proxy.upstream.connect.duration} of {@code route} for a connect that succeeded or failed. */
    Timer upstreamConnectTimer(String route, boolean success) {
        String outcome = success ? "success" : "error";
        return upstreamConnectTimers.computeIfAbsent(outcome + " " + route, key -> Timer
                .builder("proxy.upstream.connect.duration")
                .description("TCP connect time to a route's upstream")
                .tag("route", route).tag("outcome", outcome)
                .register(metrics.registry()));
    }

    KeyLogFile keyLog() {
        return keyLog;
    }

    /** Connections whose handshake completed and that are still open. */
    long relaying() {
        return live.values().stream().filter(c -> c.phase == ProxyConnection.Phase.RELAYING).count();
    }

    /** Total bytes in one direction: "from_client"/"to_client" (TLS), "to_upstream"/"from_upstream" (plaintext). */
    long bytes(String direction) {
        long total;
        java.util.function.ToLongFunction<ProxyConnection> live;
        switch (direction) {
            case "from_client" -> { total = closedBytesFromClient.sum(); live = c -> c.bytesFromClient; }
            case "to_client" -> { total = closedBytesToClient.sum(); live = c -> c.bytesToClient; }
            case "to_upstream" -> { total = closedBytesToUpstream.sum(); live = c -> c.bytesToUpstream; }
            default -> { total = closedBytesFromUpstream.sum(); live = c -> c.bytesFromUpstream; }
        }
        return total + this.live.values().stream().mapToLong(live).sum();
    }

    Clock clock() {
        return clock;
    }
}
