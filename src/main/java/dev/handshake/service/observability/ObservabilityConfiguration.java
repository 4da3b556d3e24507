package dev.handshake.service.observability;

import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.session.SessionProperties;
import dev.handshake.service.session.SessionRepository;
import dev.handshake.tls.suite.Profile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Health indicators, metrics and info for operators (issue 6). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObservabilityProperties.class)
class ObservabilityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ObservabilityConfiguration.class);

    @Bean
    HandshakeMetrics handshakeMetrics(ObjectProvider<MeterRegistry> registry) {
        MeterRegistry available = registry.getIfAvailable();
        return available == null ? HandshakeMetrics.discarding() : new HandshakeMetrics(available);
    }

    @Bean
    MonitoredCertificates serviceCertificate(ServiceIdentity identity) {
        return () -> List.of(new MonitoredCertificates.Named("service", identity.identity().chain().get(0)));
    }

    /** Component "certificates". */
    @Bean
    CertificateHealthIndicator certificatesHealthIndicator(List<MonitoredCertificates> sources,
                                                           ObservabilityProperties properties, Clock clock) {
        return new CertificateHealthIndicator(sources, properties.certificateWarning(), clock);
    }

    /** Component "sessionRepository". */
    @Bean
    SessionRepositoryHealthIndicator sessionRepositoryHealthIndicator(SessionRepository repository,
                                                                      SessionProperties properties) {
        return new SessionRepositoryHealthIndicator(repository, properties);
    }

    /** {@code tls.certificate.expiry} (seconds left, per certificate) and {@code tls.sessions.active{source=api}}. */
    @Bean
    MeterBinder tlsMeters(List<MonitoredCertificates> sources, SessionRepository repository, Clock clock) {
        return registry -> {
            for (MonitoredCertificates source : sources) {
                for (MonitoredCertificates.Named named : source.certificates()) {
                    String name = named.name();
                    // looked up by name at each scrape: a rotated certificate shows its own expiry
                    Gauge.builder("tls.certificate.expiry", () -> secondsLeft(source, name, clock))
                            .description("Seconds until the certificate expires (negative: expired)")
                            .baseUnit("seconds").tag("certificate", name).strongReference(true).register(registry);
                }
            }
            Gauge.builder("tls.sessions.active", repository, SessionRepository::size)
                    .description("Sessions held: API sessions in the repository, proxy connections relaying")
                    .tag("source", "api").register(registry);
        };
    }

    private static double secondsLeft(MonitoredCertificates source, String name, Clock clock) {
        for (MonitoredCertificates.Named named : source.certificates()) {
            if (named.name().equals(name)) {
                return (named.certificate().getNotAfter().getTime() - clock.millis()) / 1000.0;
            }
        }
        return Double.NaN;
    }

    /** {@code /actuator/info} "tls": profiles and their suites, and the certificates' fingerprints and validity. */
    @Bean
    InfoContributor tlsInfoContributor(List<MonitoredCertificates> sources, Environment environment) {
        return builder -> {
            Map<String, Object> profiles = new LinkedHashMap<>();
            for (Profile profile : Profile.values()) {
                profiles.put(profile.name(), profile.suites().stream().map(s -> s.name()).toList());
            }
            Map<String, Object> certificates = new LinkedHashMap<>();
            for (MonitoredCertificates source : sources) {
                for (MonitoredCertificates.Named named : source.certificates()) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("subject", named.certificate().getSubjectX500Principal().getName());
                    one.put("issuer", named.certificate().getIssuerX500Principal().getName());
                    one.put("sha256", fingerprint(named.certificate()));
                    one.put("notBefore", named.certificate().getNotBefore().toInstant().toString());
                    one.put("notAfter", named.certificate().getNotAfter().toInstant().toString());
                    certificates.put(named.name(), one);
                }
            }
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("activeSpringProfiles", List.of(environment.getActiveProfiles()));
            tls.put("profiles", profiles);
            tls.put("certificates", certificates);
            builder.withDetail("tls", tls);
        };
    }

    static String fingerprint(java.security.cert.X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable";
        }
    }

    /** While the key log is on, say so at start: anyone reading its output can decrypt the traffic. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> keyLogWarning(ObservabilityProperties properties) {
        return event -> {
            if (properties.keyLog().enabled()) {
                log.warn("TLS key log is ON (handshake.observability.key-log.enabled=true): session secrets are "
                        + "served at /api/v1/sessions/{id}/keylog{}; turn it off outside debugging",
                        properties.keyLog().file().isEmpty() ? "" : " and appended to " + properties.keyLog().file());
            }
        };
    }
}
