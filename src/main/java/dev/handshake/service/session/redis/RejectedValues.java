package dev.handshake.service.session.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts stored values refused when read back (failed authentication, unknown key, malformed, version mismatch): the
 * Micrometer counter {@code handshake.session.rejected} tagged {@code reason}, when a registry exists, and always a WARN
 * line. Neither names the session id (a credential) nor anything from the value.
 */
public final class RejectedValues {

    private static final Logger log = LoggerFactory.getLogger(RejectedValues.class);
    public static final String METER = "handshake.session.rejected";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** @param registry null when Micrometer is absent: the log line is then the only record */
    public RejectedValues(MeterRegistry registry) {
        this.registry = registry;
    }

    void rejected(String reason, String keyId) {
        log.warn("Stored session value rejected ({}{}); the session is treated as gone", reason,
                keyId == null ? "" : ", key id " + keyId);
        if (registry != null) {
            counters.computeIfAbsent(reason, r -> Counter.builder(METER).tag("reason", r)
                    .description("Stored session values refused when read back; each is answered as a missing session")
                    .register(registry)).increment();
        }
    }
}
