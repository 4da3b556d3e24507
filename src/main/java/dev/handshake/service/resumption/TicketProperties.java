package dev.handshake.service.resumption;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Session tickets (TLS 1.3 NewSessionTicket and TLS 1.2 RFC 5077 tickets) issued by the relay API and the TCP proxy,
 * under {@code handshake.tickets}.
 *
 * @param enabled         issue and accept tickets (off: every connection is a full handshake)
 * @param rotationPeriod  how long one ticket key seals new tickets; keys change at multiples of it since the epoch, so
 *                        every replica switches at the same instant without talking to the others
 * @param gracePeriod     how long a key still opens tickets after it stopped sealing them; at least {@code lifetime},
 *                        so a ticket issued just before a rotation resumes for its whole lifetime
 * @param lifetime        the lifetime announced in (and enforced for) each ticket
 * @param refreshInterval how often a replica checks whether the key changed (and re-reads it from the shared store);
 *                        a replica also takes the next key for opening tickets two intervals before it starts sealing
 *                        with it, so replicas whose checks fall at different moments still open each other's tickets
 */
@ConfigurationProperties("handshake.tickets")
public record TicketProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("12h") Duration rotationPeriod,
        @DefaultValue("2h") Duration gracePeriod,
        @DefaultValue("2h") Duration lifetime,
        @DefaultValue("30s") Duration refreshInterval) {

    /** RFC 8446 §4.6.1: a ticket lives at most 7 days. */
    static final Duration MAX_LIFETIME = Duration.ofDays(7);

    public TicketProperties {
        if (rotationPeriod.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("handshake.tickets.rotation-period must be at least 1m");
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("handshake.tickets.lifetime must be 1s .. 7d (RFC 8446 §4.6.1)");
        }
        if (gracePeriod.compareTo(lifetime) < 0 || gracePeriod.compareTo(rotationPeriod) > 0) {
            // below the lifetime, tickets issued late in a period would stop resuming early; above the rotation
            // period, more than one old key would have to be kept
            throw new IllegalArgumentException("handshake.tickets.grace-period must be between lifetime ("
                    + lifetime + ") and rotation-period (" + rotationPeriod + ")");
        }
        if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0
                || refreshInterval.multipliedBy(4).compareTo(rotationPeriod) > 0) {
            throw new IllegalArgumentException("handshake.tickets.refresh-interval must be 1s .. rotation-period / 4");
        }
    }
}
