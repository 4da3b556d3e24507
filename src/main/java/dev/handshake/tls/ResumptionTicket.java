package dev.handshake.tls;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.List;

/**
 * What a client keeps to resume a session later: a TLS 1.3 ticket with its PSK (RFC 8446 §4.6.1), a TLS 1.2 session
 * ticket (RFC 5077) or a TLS 1.2 session id, each with the secret it stands for. It is handed out in
 * {@link SessionInfo#tickets()} and given to a new connection with {@code TlsConfig.Builder.resumption(ticket)}. It
 * holds a secret: whoever stores it must protect it like a key.
 *
 * @param ticket           the opaque ticket (TLS 1.3 PSK identity, or the RFC 5077 ticket); empty for a session id
 * @param sessionId        the TLS 1.2 session id to offer (empty for TLS 1.3)
 * @param secret           TLS 1.3: the resumption PSK; TLS 1.2: the master secret
 * @param ageAdd           TLS 1.3 ticket_age_add (RFC 8446 §4.6.1)
 * @param lifetimeSeconds  how long the server said the ticket is good for (capped at 7 days)
 * @param receivedAtMillis when it arrived (the provider's clock), for the ticket age
 * @param peerCertificates the server's chain when the session was established (DER, leaf first)
 */
public record ResumptionTicket(
        ProtocolVersion version,
        CipherSuiteId cipherSuite,
        byte[] ticket,
        byte[] sessionId,
        Secret secret,
        boolean extendedMasterSecret,
        long ageAdd,
        long lifetimeSeconds,
        long receivedAtMillis,
        String serverName,
        String applicationProtocol,
        List<byte[]> peerCertificates) {

    /** RFC 8446 §4.6.1: servers must not use a lifetime over seven days; clients must not cache longer. */
    public static final long MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

    public ResumptionTicket {
        ticket = ticket.clone();
        sessionId = sessionId.clone();
        peerCertificates = List.copyOf(peerCertificates);
        lifetimeSeconds = Math.min(lifetimeSeconds, MAX_LIFETIME_SECONDS);
    }

    /** Whether the ticket is still within its lifetime at {@code nowMillis}. */
    public boolean isFresh(long nowMillis) {
        long age = nowMillis - receivedAtMillis;
        return age >= 0 && age < lifetimeSeconds * 1000;
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public String toString() {
        return "ResumptionTicket[" + version + ", " + cipherSuite + ", " + ticket.length + "-byte ticket, lifetime "
                + lifetimeSeconds + " s, " + secret + "]";
    }
}
