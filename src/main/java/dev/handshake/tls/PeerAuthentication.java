package dev.handshake.tls;

import dev.handshake.tls.cert.CertificateCheck;
import dev.handshake.tls.cert.CertificateValidation;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.keyschedule.Tls13KeySchedule;
import dev.handshake.tls.message.CertificateVerify;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.SignatureScheme;
import java.security.PublicKey;
import java.util.List;

/**
 * Checking the peer, shared by both roles and both versions: its certificate chain (a client checks the server's
 * against the configured server name, a server the client's) and, in TLS 1.3, its CertificateVerify. One place, so
 * the event every check emits and the alert every failure ends in are the same whoever the peer is.
 */
public final class PeerAuthentication {

    private PeerAuthentication() {
    }

    /**
     * Validates the peer's non-empty {@code chain} against the trust anchors, reports the outcome at {@code step},
     * and ends the handshake with the check's alert when it is not trusted.
     */
    public static void requireTrustedChain(HandshakeContext context, List<byte[]> chain, SeedStep step) {
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        boolean peerIsServer = config.role() == Role.CLIENT;
        CertificateCheck check = peerIsServer
                ? CertificateValidation.validateServer(crypto, chain, config.trustAnchorSet(), config.serverName(),
                        crypto.now())
                : CertificateValidation.validateClient(crypto, chain, config.trustAnchorSet(), crypto.now());
        context.event(new HandshakeEvent.PeerCertificateChecked(step, check.trusted(),
                check.problem() == null ? null : check.problem().name(), check.detail(),
                check.leaf() == null ? null : check.leaf().describe()));
        if (!check.trusted()) {
            // for a client this is seed step 3: the server cannot be authenticated, so nothing encrypted follows
            throw new TlsAlertException(check.alert(),
                    (peerIsServer ? "server" : "client") + " certificate rejected: " + check.problem());
        }
    }

    /**
     * The peer's TLS 1.3 CertificateVerify over {@code transcriptHash} with its leaf's key (RFC 8446 §4.4.3): a scheme
     * outside {@code acceptable} or not fitting the key is illegal_parameter, a bad signature decrypt_error.
     */
    public static void verifyTls13Signature(HandshakeContext context, CertificateVerify verify, byte[] leaf,
                                            List<SignatureScheme> acceptable, byte[] transcriptHash, SeedStep step) {
        boolean peerIsServer = context.config().role() == Role.CLIENT;
        String peer = peerIsServer ? "server" : "client";
        PublicKey key = Certificates.leafKey(context.crypto(), leaf);
        if (!acceptable.contains(verify.scheme()) || !Signatures.compatible(verify.scheme(), key)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    peer + " CertificateVerify uses " + verify.scheme() + ", not acceptable for this key");
        }
        byte[] content = Tls13KeySchedule.certificateVerifyContent(peerIsServer, transcriptHash);
        if (!Signatures.verify(context.crypto(), verify.scheme(), key, content, verify.signature())) {
            throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, peer + " CertificateVerify signature is invalid");
        }
        context.event(new HandshakeEvent.ValueComputed(step, peer + "_certificate_verify",
                "signature by the " + peer + "'s key verified with " + verify.scheme()));
    }
}
