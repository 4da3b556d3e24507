package dev.handshake.service.observability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operations settings ({@code handshake.observability}).
 *
 * @param certificateWarning  how long before expiry a certificate is flagged {@code warning} in health
 * @param keyLog              SSLKEYLOGFILE output for debugging captures; off by default
 */
@ConfigurationProperties("handshake.observability")
public record ObservabilityProperties(@DefaultValue("30d") Duration certificateWarning, @DefaultValue KeyLog keyLog) {

    /**
     * @param enabled  reveal secrets to the key log: the proxy appends to {@code file}, and the API serves
     *                 {@code GET /api/v1/sessions/{id}/keylog}. Anyone holding these lines can decrypt the traffic.
     * @param file     the proxy's key log file (appended); empty: the proxy writes none
     */
    public record KeyLog(@DefaultValue("false") boolean enabled, @DefaultValue("") String file) {
    }
}
