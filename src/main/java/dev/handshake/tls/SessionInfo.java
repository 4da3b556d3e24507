package dev.handshake.tls;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.List;

/**
 * What a completed handshake established: the parameters the application sees, and what a later renegotiation
 * (RFC 5746 verify data) or resumption needs.
 *
 * @param secureRenegotiation whether the peer signalled RFC 5746 support; without it we never renegotiate
 * @param peerCertificates    the peer's chain as DER, leaf first (empty when the peer sent none)
 * @param resumed             whether this session was resumed from a ticket or session id (no certificates were sent)
 * @param tickets             client: what the server gave us to resume this session later, newest last (bounded)
 */
public record SessionInfo(
        ProtocolVersion version,
        CipherSuiteId cipherSuite,
        NamedGroup group,
        Secret masterSecret,
        boolean extendedMasterSecret,
        byte[] clientRandom,
        byte[] serverRandom,
        byte[] sessionId,
        byte[] clientVerifyData,
        byte[] serverVerifyData,
        boolean secureRenegotiation,
        List<byte[]> peerCertificates,
        String applicationProtocol,
        String serverName,
        boolean resumed,
        List<ResumptionTicket> tickets) {

    /** A client keeps at most this many tickets per session: a server cannot make us hold unbounded state. */
    public static final int MAX_TICKETS = 4;

    public SessionInfo {
        peerCertificates = List.copyOf(peerCertificates);
        tickets = List.copyOf(tickets);
    }

    public SessionInfo(ProtocolVersion version, CipherSuiteId cipherSuite, NamedGroup group, Secret masterSecret,
                       boolean extendedMasterSecret, byte[] clientRandom, byte[] serverRandom, byte[] sessionId,
                       byte[] clientVerifyData, byte[] serverVerifyData, boolean secureRenegotiation,
                       List<byte[]> peerCertificates, String applicationProtocol, String serverName, boolean resumed) {
        this(version, cipherSuite, group, masterSecret, extendedMasterSecret, clientRandom, serverRandom, sessionId,
                clientVerifyData, serverVerifyData, secureRenegotiation, peerCertificates, applicationProtocol,
                serverName, resumed, List.of());
    }

    /** This session with one more ticket (the oldest dropped beyond {@link #MAX_TICKETS}). */
    public SessionInfo withTicket(ResumptionTicket ticket) {
        List<ResumptionTicket> kept = new java.util.ArrayList<>(tickets);
        kept.add(ticket);
        while (kept.size() > MAX_TICKETS) {
            kept.remove(0);
        }
        return new SessionInfo(version, cipherSuite, group, masterSecret, extendedMasterSecret, clientRandom,
                serverRandom, sessionId, clientVerifyData, serverVerifyData, secureRenegotiation, peerCertificates,
                applicationProtocol, serverName, resumed, kept);
    }

    /** This session after post-handshake authentication proved the peer holds {@code chain} (RFC 8446 §4.6.2). */
    public SessionInfo withPeerCertificates(List<byte[]> chain) {
        return new SessionInfo(version, cipherSuite, group, masterSecret, extendedMasterSecret, clientRandom,
                serverRandom, sessionId, clientVerifyData, serverVerifyData, secureRenegotiation, chain,
                applicationProtocol, serverName, resumed, tickets);
    }

    /** The newest ticket to resume this session with, or null when the server gave none. */
    public ResumptionTicket latestTicket() {
        return tickets.isEmpty() ? null : tickets.get(tickets.size() - 1);
    }
}
