package dev.handshake.service.resumption;

import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resumption for the relay API and the TCP proxy: session-ticket keys, shared by replicas through
 * {@link SharedSecrets} (Redis with {@code handshake.session.store=redis}, this process otherwise) and rotated on the
 * service's clock; and the TLS 1.2 session-id cache, one per replica.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TicketProperties.class, SessionCacheProperties.class})
class TicketConfiguration {

    @Bean
    RotatingTicketKeys rotatingTicketKeys(SharedSecrets shared, Clock clock, CryptoProvider crypto,
                                          TicketProperties properties) {
        RotatingTicketKeys keys = new RotatingTicketKeys(shared, clock, crypto, properties);
        keys.refresh(); // a store that is down now leaves no keys: full handshakes until the next refresh succeeds
        return keys;
    }

    /**
     * One cache for every relay request and proxy connection of this replica: the relay builds an engine per request
     * and the proxy rebuilds its routes' engines when the ticket keys rotate, so a cache made with each engine would
     * never see the session it is asked to resume. It stays in this process even with the Redis session store:
     * tickets are the cross-replica mechanism (a client resuming by id on another replica gets a full handshake), and
     * a per-replica cache needs no Redis round trip on the handshake path.
     */
    @Bean
    SessionCache tls12SessionCache(SessionCacheProperties properties) {
        return new InMemorySessionCache(properties.capacity());
    }

    @Bean
    TicketKeyRefresh ticketKeyRefresh(RotatingTicketKeys keys, TicketProperties properties) {
        return new TicketKeyRefresh(keys, properties);
    }
}
