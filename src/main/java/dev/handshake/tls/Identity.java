package dev.handshake.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and the certificate chain that goes with it, leaf first. Configuration, never connection state. */
public record Identity(PrivateKey privateKey, List<X509Certificate> chain) {

    public Identity {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least its leaf certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public String keyAlgorithm() {
        return privateKey.getAlgorithm();
    }
}
