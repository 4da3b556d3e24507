package dev.handshake.service.session;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import java.time.Clock;

/**
 * The load-check-store cycle every advancing call goes through: find the session (404), check its mode (409), check
 * the caller's expected version (409), and store the next state with compare-and-set (409 if another call won).
 * A store that cannot be reached throws {@link SessionStoreUnavailableException}, itself a 503 problem with Retry-After.
 */
public final class Sessions {

    private final SessionRepository repository;
    private final SessionProperties properties;
    private final Clock clock;

    public Sessions(SessionRepository repository, SessionProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    public SessionProperties properties() {
        return properties;
    }

    public long now() {
        return clock.millis();
    }

    public SessionRecord load(String id) {
        if (!SessionIds.isWellFormed(id)) {
            throw ApiException.sessionNotFound(null);
        }
        return repository.find(id).orElseThrow(() -> ApiException.sessionNotFound(id));
    }

    /** Loads a session for an operation of {@code mode}, checking the caller's {@code If-Match} version if given. */
    public SessionRecord load(String id, Mode mode, String ifMatch) {
        SessionRecord session = load(id);
        if (session.mode() != mode) {
            throw new ApiException(ProblemKind.WRONG_MODE, "This operation belongs to " + mode.json()
                    + " sessions; this session is a " + session.mode().json() + " session.")
                    .with("sessionId", id).with("mode", session.mode().json());
        }
        Long expected = parseIfMatch(ifMatch);
        if (expected != null && expected != session.version()) {
            throw ApiException.concurrentAdvance(id).with("currentVersion", session.version());
        }
        return session;
    }

    /** Stores {@code next} over {@code current}; returns it at its new version. */
    public SessionRecord store(SessionRecord current, SessionRecord next) {
        switch (repository.replace(current.id(), current.version(), next)) {
            case REPLACED:
                return next.withVersion(current.version() + 1);
            case CONFLICT:
                throw ApiException.concurrentAdvance(current.id());
            default:
                throw ApiException.sessionNotFound(current.id());
        }
    }

    public void create(SessionRecord session) {
        try {
            repository.create(session);
        } catch (SessionStoreFullException e) {
            throw new ApiException(ProblemKind.STORE_FULL, "The service holds its maximum number of sessions; "
                    + "retry later.").retryAfter(e.retryAfterSeconds());
        }
    }

    public void delete(String id) {
        repository.delete(id);
    }

    /** {@code If-Match: "3"}, {@code W/"3"} or {@code 3}; null when absent or {@code *}. */
    static Long parseIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // checked by hand, not String.matches: every flight carries If-Match, and matches compiles a Pattern
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "If-Match must be a session version, e.g. \"3\".");
        }
        return Long.parseLong(v);
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
