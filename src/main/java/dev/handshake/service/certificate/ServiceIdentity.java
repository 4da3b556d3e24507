package dev.handshake.service.certificate;

import dev.handshake.tls.Identity;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate the service presents as a TLS server (relay sessions, the TCP proxy) and the anchors it trusts for
 * client certificates.
 *
 * @param generated       true when no certificate was configured and one was issued at start by the local CA
 * @param source          where the identity came from, for logs and /actuator/info ("generated", "bundle:NAME")
 */
public record ServiceIdentity(Identity identity, List<X509Certificate> trustAnchors, boolean generated, String source) {

    public ServiceIdentity {
        trustAnchors = List.copyOf(trustAnchors);
    }
}
