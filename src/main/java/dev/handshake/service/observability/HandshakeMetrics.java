package dev.handshake.service.observability;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Failure;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.ProtocolVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one place TLS metrics are derived from engine events: the REST API and the proxy hand it each step's events and
 * the state after the step, and it counts handshakes, alerts, renegotiations and key updates, times handshakes, and
 * writes the one diagnostic line per failed handshake.
 *
 * <p>Tag values are bounded: wire names from our own tables (versions, suites, groups, alert descriptions), seed step
 * numbers, and enums. Never a session id, an address or free text; those go only to the diagnostic log line.
 */
public final class HandshakeMetrics {

    /** Where a handshake ran. */
    public enum Source {
        API, PROXY;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a handshake ended. */
    public enum Outcome {
        SUCCESS, ALERT, TIMEOUT, CLOSED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Who and where, for the diagnostic line only (never tags).
     *
     * @param mode        relay, walkthrough or proxy (a bounded tag)
     * @param sessionId   the API session id or the proxy connection id
     * @param peer        the client's address (host:port), or null when unknown (the API sees only the HTTP caller)
     * @param serverName  the SNI the client asked for, or null
     */
    public record Context(Source source, String mode, String sessionId, String peer, String serverName) {
    }

    static final String NONE = "none";

    /** Alerts a client sends when it refuses our certificate: the fault is ours (configuration), so it is a WARN. */
    private static final Set<AlertDescription> CLIENT_REJECTED_OUR_CERTIFICATE = Set.of(
            AlertDescription.BAD_CERTIFICATE, AlertDescription.UNSUPPORTED_CERTIFICATE,
            AlertDescription.CERTIFICATE_REVOKED, AlertDescription.CERTIFICATE_EXPIRED,
            AlertDescription.CERTIFICATE_UNKNOWN, AlertDescription.UNKNOWN_CA);

    private static final Logger failures = LoggerFactory.getLogger("dev.handshake.service.observability.HandshakeFailures");

    private static final String KEY_UPDATE = HandshakeType.KEY_UPDATE.name();

    private final MeterRegistry registry;

    public HandshakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics nobody reads: for tests and wiring without a registry. */
    public static HandshakeMetrics discarding() {
        return new HandshakeMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Observes one engine call.
     *
     * @param events       the step's events, in order
     * @param after        the state after the step
     * @param sinceStart   time since the handshake began (the connection was accepted, or the API session created)
     */
    public void observe(Context context, List<HandshakeEvent> events, ConnectionState after, Duration sinceStart) {
        boolean handshakeFailed = false;
        for (HandshakeEvent event : events) {
            if (event instanceof HandshakeEvent.AlertSent a) {
                alert("sent", a.level().name(), a.description());
                handshakeFailed |= a.level().equals(AlertLevel.FATAL) && after.session() == null;
            } else if (event instanceof HandshakeEvent.AlertReceived a) {
                alert("received", a.level().name(), a.description());
                handshakeFailed |= a.level().equals(AlertLevel.FATAL) && after.session() == null;
            } else if (event instanceof HandshakeEvent.HandshakeCompleted c) {
                if (c.renegotiation()) {
                    Counter.builder("tls.renegotiations").description("Completed renegotiations (TLS 1.2)")
                            .tag("source", context.source().tag()).register(registry).increment();
                } else {
                    completed(context, c, sinceStart);
                }
            } else if (event instanceof HandshakeEvent.MessageSent m && KEY_UPDATE.equals(m.type())) {
                keyUpdate(context, "sent");
            } else if (event instanceof HandshakeEvent.MessageReceived m && KEY_UPDATE.equals(m.type())) {
                keyUpdate(context, "received");
            }
        }
        if (handshakeFailed && after.isFailed()) {
            Failure failure = after.failure();
            failed(context, Outcome.ALERT, failure.alert(), failure.sentByUs(), failure.step(), failure.reason(), sinceStart);
        }
    }

    /**
     * A handshake that ended without the engine's alert: a timeout, the client closing, or an alert the transport sent
     * itself (e.g. unrecognized_name before any route's engine ran). {@code alert} is null for timeout and closed.
     */
    public void failed(Context context, Outcome outcome, AlertDescription alert, boolean sentByUs, SeedStep reached,
                       String reason, Duration sinceStart) {
        Counter.builder("tls.handshakes").description("TLS handshakes by outcome")
                .tag("source", context.source().tag())
                .tag("mode", context.mode())
                .tag("version", NONE)
                .tag("suite", NONE)
                .tag("group", NONE)
                .tag("resumed", "false")
                .tag("outcome", outcome.tag())
                .tag("alert", alert == null ? NONE : alert.name())
                .tag("step", reached == null ? NONE : Integer.toString(reached.number()))
                .register(registry).increment();
        logFailure(context, outcome, alert, sentByUs, reached, reason, sinceStart);
    }

    /** The tag values of a completed handshake: what selects its counter and timer. */
    private record CompletedTags(Source source, String mode, ProtocolVersion version, String suite, String group,
                                 boolean resumed) {
    }

    private record CompletedMeters(Counter handshakes, Timer duration) {
    }

    /**
     * The meters of completed handshakes, found once per tag combination: building and registering them costs a
     * meter id with eleven sorted tags and a registry lookup, a few per cent of a proxied handshake's Java time
     * (docs/benchmarks-proxy.md). The tag values are bounded (see the class comment), so is this map.
     */
    private final java.util.concurrent.ConcurrentHashMap<CompletedTags, CompletedMeters> completedMeters =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void completed(Context context, HandshakeEvent.HandshakeCompleted c, Duration sinceStart) {
        CompletedTags tags = new CompletedTags(context.source(), context.mode(), c.version(),
                c.cipherSuite() == null ? NONE : c.cipherSuite().name(), c.group() == null ? NONE : c.group().name(),
                c.resumed());
        CompletedMeters meters = completedMeters.computeIfAbsent(tags, this::completedMeters);
        meters.handshakes().increment();
        meters.duration().record(sinceStart);
    }

    private CompletedMeters completedMeters(CompletedTags t) {
        String version = versionTag(t.version());
        Counter handshakes = Counter.builder("tls.handshakes").description("TLS handshakes by outcome")
                .tag("source", t.source().tag())
                .tag("mode", t.mode())
                .tag("version", version)
                .tag("suite", t.suite())
                .tag("group", t.group())
                .tag("resumed", Boolean.toString(t.resumed()))
                .tag("outcome", Outcome.SUCCESS.tag())
                .tag("alert", NONE)
                .tag("step", NONE)
                .register(registry);
        Timer duration = Timer.builder("tls.handshake.duration")
                .description("Time from the first ClientHello byte to the handshake's end")
                .tag("source", t.source().tag())
                .tag("version", version)
                .tag("resumed", Boolean.toString(t.resumed()))
                .publishPercentileHistogram()
                .register(registry);
        return new CompletedMeters(handshakes, duration);
    }

    /** The names operators know from OpenSSL and the JDK ("TLSv1.3"), not the wire table's ("tls1_3"). */
    static String versionTag(ProtocolVersion version) {
        if (version == null) {
            return NONE;
        }
        switch (version.code()) {
            case 0x0304: return "TLSv1.3";
            case 0x0303: return "TLSv1.2";
            case 0x0302: return "TLSv1.1";
            case 0x0301: return "TLSv1";
            case 0x0300: return "SSLv3";
            default: return version.name();
        }
    }

    private void alert(String direction, String level, AlertDescription description) {
        Counter.builder("tls.alerts").description("TLS alerts sent and received")
                .tag("direction", direction)
                .tag("level", level)
                .tag("description", description.name())
                .register(registry).increment();
    }

    private void keyUpdate(Context context, String direction) {
        Counter.builder("tls.key.updates").description("TLS 1.3 KeyUpdate messages")
                .tag("source", context.source().tag())
                .tag("direction", direction)
                .register(registry).increment();
    }

    /**
     * One line per failed handshake, as key-value pairs (they become JSON members under
     * {@code logging.structured.format.console=ecs}). WARN only when the fault is on our side: we sent internal_error,
     * the client refused our certificate, or a configured upstream is down; INFO otherwise (client mistakes, scanners).
     * Never a secret: the reason strings come from the engine's alert reasons, which hold no key material.
     */
    private static void logFailure(Context context, Outcome outcome, AlertDescription alert, boolean sentByUs,
                                   SeedStep reached, String reason, Duration sinceStart) {
        boolean serverFault = alert != null && ((sentByUs && alert.equals(AlertDescription.INTERNAL_ERROR))
                || (!sentByUs && CLIENT_REJECTED_OUR_CERTIFICATE.contains(alert)));
        Level level = serverFault ? Level.WARN : outcome == Outcome.ALERT ? Level.INFO : Level.DEBUG;
        if (!failures.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder line = failures.atLevel(level)
                .addKeyValue("tls.session_id", context.sessionId())
                .addKeyValue("tls.source", context.source().tag())
                .addKeyValue("tls.mode", context.mode())
                .addKeyValue("client.address", context.peer() == null ? "" : context.peer())
                .addKeyValue("tls.server_name", context.serverName() == null ? "" : context.serverName())
                .addKeyValue("tls.outcome", outcome.tag())
                .addKeyValue("tls.step", reached == null ? 0 : reached.number())
                .addKeyValue("tls.alert", alert == null ? "" : alert.name())
                .addKeyValue("tls.alert_sent_by", alert == null ? "" : sentByUs ? "server" : "client")
                .addKeyValue("tls.reason", reason == null ? "" : reason)
                .addKeyValue("event.duration_ms", sinceStart.toMillis());
        line.log("TLS handshake failed: session={} source={} peer={} sni={} step={} alert={} by={} reason={}",
                context.sessionId(), context.source().tag(), context.peer(), context.serverName(),
                reached == null ? "-" : reached.number(), alert == null ? outcome.tag() : alert.name(),
                alert == null ? "-" : sentByUs ? "server" : "client", reason);
    }
}
