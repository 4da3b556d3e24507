package dev.handshake.service.observability;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the certificates we present: DOWN when any is expired or not yet valid (clients will refuse it); each
 * reported with its subject, days left and the warning threshold, and {@code warning: true} inside the threshold.
 */
final class CertificateHealthIndicator implements HealthIndicator {

    private final List<MonitoredCertificates> sources;
    private final Duration warnBefore;
    private final Clock clock;

    CertificateHealthIndicator(List<MonitoredCertificates> sources, Duration warnBefore, Clock clock) {
        this.sources = sources;
        this.warnBefore = warnBefore;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (MonitoredCertificates source : sources) {
            for (MonitoredCertificates.Named named : source.certificates()) {
                X509Certificate certificate = named.certificate();
                Instant notBefore = certificate.getNotBefore().toInstant();
                Instant notAfter = certificate.getNotAfter().toInstant();
                String validity = now.isBefore(notBefore) ? "not-yet-valid" : now.isAfter(notAfter) ? "expired" : "valid";
                down |= !validity.equals("valid");
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("subject", certificate.getSubjectX500Principal().getName());
                one.put("validity", validity);
                one.put("notAfter", notAfter.toString());
                one.put("daysLeft", Duration.between(now, notAfter).toDays());
                one.put("warningThresholdDays", warnBefore.toDays());
                one.put("warning", !now.plus(warnBefore).isBefore(notAfter));
                details.put(named.name(), one);
            }
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }
}
