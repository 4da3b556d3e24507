package dev.handshake.service.resumption;

import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.crypto.CryptoProvider;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Session-ticket keys for the relay API and the TCP proxy, shared by replicas through {@link SharedSecrets} (Redis
 * with {@code handshake.session.store=redis}, this process otherwise) and rotated on the service's clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TicketProperties.class)
class TicketConfiguration {

    @Bean
    RotatingTicketKeys rotatingTicketKeys(SharedSecrets shared, Clock clock, CryptoProvider crypto,
                                          TicketProperties properties) {
        RotatingTicketKeys keys = new RotatingTicketKeys(shared, clock, crypto, properties);
        keys.refresh(); // a store that is down now leaves no keys: full handshakes until the next refresh succeeds
        return keys;
    }

    @Bean
    TicketKeyRefresh ticketKeyRefresh(RotatingTicketKeys keys, TicketProperties properties) {
        return new TicketKeyRefresh(keys, properties);
    }
}
