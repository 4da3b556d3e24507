package dev.handshake.service.problem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error the API reports as a problem response: its kind, a detail safe to show to any caller (no secrets, no
 * exception names) and extension members such as {@code sessionId}, {@code alert} or {@code step}.
 */
public class ApiException extends RuntimeException {

    private final ProblemKind kind;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private long retryAfterSeconds = -1;

    public ApiException(ProblemKind kind, String detail) {
        super(detail, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.kind = kind;
    }

    public static ApiException sessionNotFound(String sessionId) {
        return new ApiException(ProblemKind.SESSION_NOT_FOUND, "No session with this id exists; it may have expired.")
                .with("sessionId", sessionId);
    }

    public static ApiException concurrentAdvance(String sessionId) {
        return new ApiException(ProblemKind.CONCURRENT_ADVANCE,
                "Another request advanced this session first; read it again and retry with its current version.")
                .with("sessionId", sessionId);
    }

    public ApiException with(String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
        return this;
    }

    public ApiException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public ProblemKind kind() {
        return kind;
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
