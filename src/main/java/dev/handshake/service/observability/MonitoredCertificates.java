package dev.handshake.service.observability;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A source of certificates the service presents, watched for expiry (health, {@code tls.certificate.expiry}, info).
 * The service identity is one; the proxy contributes one per route. Read on every health check and scrape, so a
 * rotated certificate shows at once.
 */
public interface MonitoredCertificates {

    /** A certificate under a bounded, configured name ({@code service}, {@code route:NAME}). */
    record Named(String name, X509Certificate certificate) {
    }

    List<Named> certificates();
}
