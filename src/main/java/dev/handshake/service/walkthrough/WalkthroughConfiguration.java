package dev.handshake.service.walkthrough;

import dev.handshake.service.capture.CaptureProperties;
import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.session.Sessions;
import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.crypto.CryptoProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Walkthrough mode: both sides played by the service, revealed one seed step at a time. */
@Configuration(proxyBeanMethods = false)
class WalkthroughConfiguration {

    @Bean
    WalkthroughService walkthroughService(LocalCertificateAuthority ca, SharedSecrets shared, CryptoProvider crypto,
                                          Sessions sessions, CaptureProperties capture) {
        return new WalkthroughService(new WalkthroughIdentities(ca, shared), crypto, sessions, capture.maxBytes());
    }
}
