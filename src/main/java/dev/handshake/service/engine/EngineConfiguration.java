package dev.handshake.service.engine;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The crypto provider every feature's engines share: chosen per primitive by measurement (docs/crypto-providers.md),
 * falling back to the JDK where Amazon Corretto Crypto Provider's native library cannot load. The choice is logged
 * once at start, so an operator can see which implementation serves each primitive on this machine.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    CryptoProvider cryptoProvider() {
        JcaCryptoProvider provider = CryptoProviders.preferred();
        log.info("Crypto providers by primitive:\n{}", CryptoProviders.describe(provider));
        return provider;
    }
}
