package dev.handshake.tls.resumption;

import java.util.Optional;

/**
 * Where a TLS 1.2 server keeps sessions it can resume by session id (RFC 5246 §7.4.1.2). This is state outside the
 * engine: the engine only calls it, with the provider's time, so an implementation may live in Redis and be shared by
 * several nodes. Implementations must be safe for concurrent use and bound what they hold (a peer opening many
 * connections must not grow it without limit).
 */
public interface SessionCache {

    void store(byte[] sessionId, TicketContents session);

    /** The session stored under {@code sessionId}, if any; expiry is the caller's check (it knows the time). */
    Optional<TicketContents> lookup(byte[] sessionId);

    void remove(byte[] sessionId);
}
