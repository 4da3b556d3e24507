package dev.handshake.service.certificate;

import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.Identity;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Provides the service's TLS identity: from an SSL bundle when configured, otherwise generated at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CertificateProperties.class)
public class CertificateConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CertificateConfiguration.class);

    /**
     * One local CA for all replicas: created by the first, shared through {@link SharedSecrets} (sealed in Redis with
     * the Redis store), so every replica's generated identities chain to the same anchor.
     */
    @Bean
    LocalCertificateAuthority localCertificateAuthority(SharedSecrets shared) {
        return LocalCertificateAuthority.fromBytes(shared.getOrCreate("certificate/local-ca",
                () -> LocalCertificateAuthority.create("handshake-service local CA").toBytes()));
    }

    @Bean
    ServiceIdentity serviceIdentity(CertificateProperties properties, LocalCertificateAuthority ca, SslBundles bundles,
                                    SharedSecrets shared) {
        List<X509Certificate> anchors = properties.trustBundle().isEmpty() ? List.of(ca.certificate())
                : trustAnchors(bundles.getBundle(properties.trustBundle()));
        if (!properties.bundle().isEmpty()) {
            Identity identity = identityOf(bundles.getBundle(properties.bundle()));
            log.info("TLS identity from SSL bundle '{}': {}", properties.bundle(),
                    identity.leaf().getSubjectX500Principal().getName());
            return new ServiceIdentity(identity, anchors, false, "bundle:" + properties.bundle());
        }
        // shared, so a relay handshake begun on one replica can be finished by another with the same server key
        Identity identity = StoredIdentity.decode(shared.getOrCreate("certificate/service/"
                + String.join(",", properties.hostNames()), () -> {
                    Instant now = Instant.now();
                    return StoredIdentity.encode(ca.issue("handshake-service", properties.hostNames(),
                            LocalCertificateAuthority.Purpose.SERVER, now.minus(Duration.ofHours(1)),
                            now.plus(Duration.ofDays(90))));
                }));
        log.info("TLS identity generated at start for {} (self-issued by '{}'; configure handshake.certificate.bundle "
                + "for a real certificate)", properties.hostNames(), ca.name());
        return new ServiceIdentity(identity, anchors, true, "generated");
    }

    /** A PEM bundle keeps its key under alias "ssl" with an empty key password (STACK.md); JKS bundles use any alias. */
    public static Identity identityOf(SslBundle bundle) {
        try {
            KeyStore store = bundle.getStores().getKeyStore();
            String password = bundle.getStores().getKeyStorePassword();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    char[] keyPassword = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword().toCharArray()
                            : (password == null ? new char[0] : password.toCharArray());
                    PrivateKey key = (PrivateKey) store.getKey(alias, keyPassword);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate certificate : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) certificate);
                    }
                    return new Identity(key, chain);
                }
            }
            throw new IllegalStateException("SSL bundle has no private key entry");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the SSL bundle's key", e);
        }
    }

    public static List<X509Certificate> trustAnchors(SslBundle bundle) {
        KeyStore store = bundle.getStores().getTrustStore();
        if (store == null) {
            throw new IllegalStateException("SSL bundle has no trust store");
        }
        try {
            List<X509Certificate> anchors = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    anchors.add(certificate);
                }
            }
            return anchors;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("cannot read the trust store", e);
        }
    }
}
