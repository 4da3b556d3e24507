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
        boolean resumed) {
}
