package dev.handshake.service.resumption;

import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.crypto.CryptoProvider;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resumption for the relay API and the TCP proxy: session-ticket keys, shared by replicas through
 * {@link SharedSecrets} (Redis with {@code handshake.session.store=redis}, this process otherwise) and rotated on the
 * service's clock; and the TLS 1.2 session-id caches, per replica.
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
     * The session-id caches outlive the engines, which are built per relay request and rebuilt with the proxy's
     * routes. They stay in this process even with the Redis session store: tickets are the cross-replica mechanism (a
     * client resuming by id on another replica gets a full handshake), and a per-replica cache needs no Redis round
     * trip on the handshake path.
     */
    @Bean
    Tls12SessionCaches tls12SessionCaches(SessionCacheProperties properties) {
        return Tls12SessionCaches.inMemory(properties.capacity());
    }

    @Bean
    TicketKeyRefresh ticketKeyRefresh(RotatingTicketKeys keys, TicketProperties properties) {
        return new TicketKeyRefresh(keys, properties);
    }
}
