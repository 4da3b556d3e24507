package dev.handshake.tls.server;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.EstablishedState;
import dev.handshake.tls.FinishedVerified;
import dev.handshake.tls.HandshakeContext;
import dev.handshake.tls.HandshakeState;
import dev.handshake.tls.PeerAuthentication;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.SuspendedDigest;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.Certificate13;
import dev.handshake.tls.message.CertificateEntry;
import dev.handshake.tls.message.CertificateVerify;
import dev.handshake.tls.message.Finished;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.HandshakeType;
import java.util.List;

/**
 * Post-handshake client authentication from the server's side (RFC 8446 §4.6.2), seed step 11 in TLS 1.3:
 * <pre>
 *   Established --requestClientCertificate: CertificateRequest--> ExpectCertificate
 *   ExpectCertificate --Certificate (a chain)--> ExpectCertificateVerify --CertificateVerify--> ExpectFinished
 *   ExpectCertificate --Certificate (empty, the client may decline)--> ExpectFinished
 *   ExpectFinished --Finished--> Established, the session's peer certificates now the new chain
 * </pre>
 * Every transcript hash here is over the handshake's messages (ClientHello through the client's Finished) followed by
 * this exchange's CertificateRequest, Certificate and CertificateVerify; Finished's key is the client's current
 * application traffic secret (§4.4). While the request is outstanding the connection stays open both ways:
 * application data and KeyUpdate pass as on the established connection (§4.6.2 lets the client answer late).
 */
final class Tls13ServerPostHandshakeAuth {

    /** certificate_request_context length: unique within the connection, as §4.6.2 requires, by randomness. */
    private static final int REQUEST_CONTEXT_LENGTH = 32;

    private Tls13ServerPostHandshakeAuth() {
    }

    /**
     * One outstanding request: its context, whether the client may decline, and the messages of the exchange so far
     * (CertificateRequest, ...), hashed after the handshake's suspended transcript hash; {@code chain} is the
     * client's once its Certificate came.
     */
    record Request(byte[] requestContext, ClientAuth mode, byte[] exchange, List<byte[]> chain) {
        Request {
            chain = List.copyOf(chain);
        }

        Request append(byte[] message) {
            return new Request(requestContext, mode, Bytes.concat(exchange, message), chain);
        }

        Request withChain(List<byte[]> received) {
            return new Request(requestContext, mode, exchange, received);
        }
    }

    /** Sends CertificateRequest under our application keys and waits for the client's answer. */
    static HandshakeState request(HandshakeContext context, Tls13ServerHandshake.Established established,
                                  ClientAuth mode) {
        if (!established.postHandshakeAuthOffered()) {
            // RFC 8446 §4.2.6: a server must not send a post-handshake CertificateRequest to a client that did not
            // offer post_handshake_auth; that is the caller's mistake, not the peer's, so nothing is sent
            throw new IllegalStateException("the client did not offer post_handshake_auth");
        }
        byte[] requestContext = new byte[REQUEST_CONTEXT_LENGTH];
        context.crypto().randomBytes(requestContext);
        byte[] sent = context.send(SeedStep.RENEGOTIATION, Tls13ServerHandshake.certificateRequest(requestContext,
                Tls13ServerHandshake.tls13Schemes()));
        context.event(new HandshakeEvent.ValueComputed(SeedStep.RENEGOTIATION, "post_handshake_authentication",
                "TLS 1.3 has no renegotiation: post-handshake authentication, the server asks for the client's "
                        + "certificate (" + (mode == ClientAuth.REQUIRED ? "required" : "optional") + ")"));
        Request request = new Request(requestContext, mode, sent, List.of());
        return new ExpectCertificate(established, request);
    }

    /**
     * A state while a request is outstanding: the connection is established for everything but a second request;
     * the peer's KeyUpdate and our own go through the established state underneath.
     */
    private interface Outstanding extends EstablishedState {
        Tls13ServerHandshake.Established established();

        /** This same stage of the exchange over {@code next} (after a KeyUpdate). */
        Outstanding over(Tls13ServerHandshake.Established next);

        /** The next message of the exchange. */
        HandshakeState onAuthenticationMessage(HandshakeContext context, HandshakeFrame message);

        @Override
        default SeedStep step() {
            return SeedStep.RENEGOTIATION;
        }

        @Override
        default HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.KEY_UPDATE)) {
                return over(established().keyUpdated(context, message));
            }
            return onAuthenticationMessage(context, message);
        }

        @Override
        default HandshakeState renegotiate(HandshakeContext context) {
            return over(established().renegotiate(context));
        }

        @Override
        default HandshakeState requestClientCertificate(HandshakeContext context, ClientAuth mode) {
            throw new IllegalStateException("a post-handshake CertificateRequest is still outstanding");
        }

        default byte[] transcriptHash(Request request) {
            return SuspendedDigest.finishAfter(established().read().hash(), established().handshakeDigest(),
                    request.exchange());
        }
    }

    /** The client's Certificate, echoing our context. */
    private record ExpectCertificate(Tls13ServerHandshake.Established established, Request request)
            implements Outstanding {
        @Override
        public Outstanding over(Tls13ServerHandshake.Established next) {
            return new ExpectCertificate(next, request);
        }

        @Override
        public HandshakeState onAuthenticationMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE);
            Certificate13 certificate = Certificate13.decode(message.body());
            context.received(SeedStep.RENEGOTIATION, certificate, message);
            if (!Bytes.constantTimeEquals(certificate.requestContext(), request.requestContext())) {
                // RFC 8446 §4.4.2: the Certificate answers the request whose context it echoes
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "post-handshake Certificate does not echo our certificate_request_context");
            }
            List<byte[]> chain = certificate.entries().stream().map(CertificateEntry::certificate).toList();
            Request next = request.withChain(chain).append(message.encode());
            if (chain.isEmpty()) {
                if (request.mode() == ClientAuth.REQUIRED) {
                    // RFC 8446 §4.4.2.4: a server that requires a certificate may abort with certificate_required
                    throw new TlsAlertException(AlertDescription.CERTIFICATE_REQUIRED,
                            "client certificate required after the handshake, none sent");
                }
                context.event(new HandshakeEvent.PeerCertificateChecked(SeedStep.RENEGOTIATION, false, "NONE",
                        "client declined post-handshake authentication (optional)", null));
                return new ExpectFinished(established, next);
            }
            PeerAuthentication.requireTrustedChain(context, chain, SeedStep.RENEGOTIATION);
            return new ExpectCertificateVerify(established, next);
        }
    }

    /** The client's signature over the exchange so far with its certificate's key. */
    private record ExpectCertificateVerify(Tls13ServerHandshake.Established established, Request request)
            implements Outstanding {
        @Override
        public Outstanding over(Tls13ServerHandshake.Established next) {
            return new ExpectCertificateVerify(next, request);
        }

        @Override
        public HandshakeState onAuthenticationMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE_VERIFY);
            CertificateVerify verify = CertificateVerify.decode(message.body());
            context.received(SeedStep.RENEGOTIATION, verify, message);
            PeerAuthentication.verifyTls13Signature(context, verify, request.chain().get(0),
                    Tls13ServerHandshake.tls13Schemes(), transcriptHash(request),
                    SeedStep.RENEGOTIATION);
            return new ExpectFinished(established, request.append(message.encode()));
        }
    }

    /** The client's Finished, keyed by its current application traffic secret; then the new chain counts. */
    private record ExpectFinished(Tls13ServerHandshake.Established established, Request request)
            implements Outstanding {
        @Override
        public Outstanding over(Tls13ServerHandshake.Established next) {
            return new ExpectFinished(next, request);
        }

        @Override
        public HandshakeState onAuthenticationMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.FINISHED);
            Finished finished = Finished.decode(message.body());
            context.received(SeedStep.RENEGOTIATION, finished, message);
            CryptoProvider crypto = context.crypto();
            // RFC 8446 §4.4: Base Key = client_application_traffic_secret_N, the one the client writes with now
            byte[] expected = established.read().finishedVerifyData(crypto, transcriptHash(request));
            FinishedVerified.check(expected, finished.verifyData());
            if (request.chain().isEmpty()) {
                context.event(new HandshakeEvent.ValueComputed(SeedStep.RENEGOTIATION, "post_handshake_authentication",
                        "post-handshake authentication finished: the client sent no certificate"));
                return established;
            }
            SessionInfo session = established.session().withPeerCertificates(request.chain());
            context.established(session);
            context.event(new HandshakeEvent.ValueComputed(SeedStep.RENEGOTIATION, "post_handshake_authentication",
                    "post-handshake authentication finished: the client proved its certificate; the session's peer "
                            + "certificate is now that chain"));
            return established.withSession(session);
        }
    }
}
