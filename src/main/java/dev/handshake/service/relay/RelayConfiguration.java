package dev.handshake.service.relay;

import dev.handshake.service.capture.CaptureProperties;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.session.Sessions;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.service.resumption.Tls12SessionCaches;
import dev.handshake.service.proxy.ProxyProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Configuration;

/** Relay mode: the service as the TLS server of a client posting records over HTTP. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecordsProperties.class)
class RelayConfiguration {

    @Bean
    RelayUpstream relayUpstream(ObjectProvider<ProxyProperties> proxy, RecordsProperties settings,
                                Environment environment) {
        // the proxy's properties exist only while the listener is enabled; without them no session has a route
        return new RelayUpstream(proxy.getIfAvailable(), settings, () -> {
            Integer local = environment.getProperty("local.server.port", Integer.class);
            return local != null && local > 0 ? local : environment.getProperty("server.port", Integer.class, 8080);
        });
    }

    @Bean
    RelayService relayService(ServiceIdentity identity, CryptoProvider crypto, Sessions sessions,
                              CaptureProperties capture, RelayUpstream upstream, HandshakeMetrics metrics,
                              RotatingTicketKeys tickets, Tls12SessionCaches sessionCaches) {
        return new RelayService(identity, crypto, sessions, capture, upstream, metrics, tickets, sessionCaches.relay());
    }
}
