package dev.handshake.service.session;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;

/**
 * The store cannot be reached (Redis down, a timeout): answered as a 503 problem with Retry-After wherever it is
 * thrown (session calls, shared secrets), with no cause and no stack trace. The repository logs the outage once.
 */
public class SessionStoreUnavailableException extends ApiException {

    public SessionStoreUnavailableException(long retryAfterSeconds) {
        super(ProblemKind.STORE_UNAVAILABLE, "The session store cannot be reached; retry later.");
        retryAfter(retryAfterSeconds);
    }
}
