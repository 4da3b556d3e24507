package dev.handshake.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.wire.AlertDescription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One structured line per failed handshake: WARN for our faults, INFO for the client's, DEBUG for give-ups. */
class HandshakeFailureLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.handshake.service.observability.HandshakeFailures");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakeMetrics metrics = new HandshakeMetrics(registry);
    private final HandshakeMetrics.Context context = new HandshakeMetrics.Context(HandshakeMetrics.Source.PROXY, "proxy",
            "proxy-7", "192.0.2.1:5000", "example.com");

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    @Test
    void internalErrorWeSentIsAWarnWithEveryField() {
        metrics.failed(context, HandshakeMetrics.Outcome.ALERT, AlertDescription.INTERNAL_ERROR, true,
                SeedStep.SERVER_HELLO, "upstream unavailable", Duration.ofMillis(12));
        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getKeyValuePairs()).extracting(kv -> kv.key + "=" + kv.value).contains(
                "tls.session_id=proxy-7", "tls.source=proxy", "client.address=192.0.2.1:5000",
                "tls.server_name=example.com", "tls.step=2", "tls.alert=internal_error", "tls.alert_sent_by=server",
                "tls.reason=upstream unavailable");
    }

    @Test
    void clientRefusingOurCertificateIsAWarn() {
        metrics.failed(context, HandshakeMetrics.Outcome.ALERT, AlertDescription.UNKNOWN_CA, false,
                SeedStep.SERVER_AUTHENTICATION, null, Duration.ZERO);
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void clientMistakesAreInfoAndGiveUpsDebug() {
        metrics.failed(context, HandshakeMetrics.Outcome.ALERT, AlertDescription.HANDSHAKE_FAILURE, true,
                SeedStep.CLIENT_HELLO, "no shared cipher suite", Duration.ZERO);
        metrics.failed(context, HandshakeMetrics.Outcome.TIMEOUT, null, true, SeedStep.CLIENT_HELLO, "handshake timeout",
                Duration.ofSeconds(10));
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.DEBUG);
        assertThat(registry.get("tls.handshakes").tag("outcome", "timeout").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tls.handshakes").tag("outcome", "alert").tag("alert", "handshake_failure")
                .tag("step", "1").counter().count()).isEqualTo(1.0);
    }
}
