package dev.handshake.service.resumption;

import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;

/**
 * This replica's TLS 1.2 session-id caches: one for the relay API, one for the TCP proxy's routes, each shared by all
 * the engines of its side. They outlive those engines (the relay builds one per request; the proxy rebuilds its routes
 * when the ticket keys rotate or a bundle changes), which is what lets an id given on one connection resume on a later
 * one.
 *
 * <p>Two caches, not one: a relay client chooses its own session's options, client authentication among them, and
 * the relay's sessions have no business in the proxy's memory. What keeps a session from resuming where it must not
 * (a relay session, or a route's, on a route that requires a client certificate) is the engine's resumption context,
 * carried by every cached session and ticket alike: the routes share one cache, and tickets are sealed with keys
 * shared by both sides (docs/proxy.md).
 *
 * @param relay for {@code RelayService}
 * @param proxy for every proxy route
 */
public record Tls12SessionCaches(SessionCache relay, SessionCache proxy) {

    /** Two in-memory caches of {@code capacity} sessions each, the least recently used dropped first. */
    public static Tls12SessionCaches inMemory(int capacity) {
        return new Tls12SessionCaches(new InMemorySessionCache(capacity), new InMemorySessionCache(capacity));
    }
}
