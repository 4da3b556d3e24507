package dev.handshake.service.certificate;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the server certificate comes from.
 *
 * @param bundle      a Spring Boot SSL bundle name ({@code spring.ssl.bundle.pem.NAME...}) holding the server's key and
 *                    chain; empty means: generate one at start from a local CA
 * @param hostNames   names the generated certificate is valid for
 * @param trustBundle an SSL bundle whose trust store holds the CAs accepted for client certificates; empty means the
 *                    local CA (which the walkthrough's client certificates come from)
 */
@ConfigurationProperties("handshake.certificate")
public record CertificateProperties(String bundle, List<String> hostNames, String trustBundle) {

    public CertificateProperties {
        bundle = bundle == null ? "" : bundle;
        trustBundle = trustBundle == null ? "" : trustBundle;
        hostNames = hostNames == null || hostNames.isEmpty() ? List.of("localhost", "127.0.0.1") : List.copyOf(hostNames);
    }
}
