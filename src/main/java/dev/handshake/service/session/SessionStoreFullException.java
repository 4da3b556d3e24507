package dev.handshake.service.session;

/** The repository holds its maximum number of sessions; a new one may fit after {@code retryAfterSeconds}. */
public class SessionStoreFullException extends RuntimeException {

    private final long retryAfterSeconds;

    public SessionStoreFullException(long retryAfterSeconds) {
        super("session store full", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
