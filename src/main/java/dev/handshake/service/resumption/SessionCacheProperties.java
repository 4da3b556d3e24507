package dev.handshake.service.resumption;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The TLS 1.2 session-id caches (RFC 5246 §7.4.1.2) of the relay API and of the TCP proxy ({@link Tls12SessionCaches}),
 * under {@code handshake.tls12-session-cache}. Its entries live as long as a ticket ({@code handshake.tickets.lifetime}):
 * the engine refuses an older one when a client offers it, and drops it then.
 *
 * @param capacity how many sessions each cache keeps, the least recently used dropped first (about 200 bytes each);
 *                 the bound is what keeps clients that open many connections from growing it without limit
 */
@ConfigurationProperties("handshake.tls12-session-cache")
public record SessionCacheProperties(@DefaultValue("10000") int capacity) {

    public SessionCacheProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("handshake.tls12-session-cache.capacity must be at least 1");
        }
    }
}
