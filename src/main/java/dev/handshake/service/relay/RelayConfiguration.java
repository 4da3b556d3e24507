package dev.handshake.service.relay;

import dev.handshake.service.capture.CaptureProperties;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.session.Sessions;
import dev.handshake.tls.crypto.CryptoProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Relay mode: the service as the TLS server of a client posting records over HTTP. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean
    RelayService relayService(ServiceIdentity identity, CryptoProvider crypto, Sessions sessions,
                              CaptureProperties capture, HandshakeMetrics metrics) {
        return new RelayService(identity, crypto, sessions, capture, metrics);
    }
}
