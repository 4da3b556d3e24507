package dev.handshake.tls.client;

import dev.handshake.tls.PeerAuthentication;
import dev.handshake.tls.Certificates;
import dev.handshake.tls.EstablishedState;
import dev.handshake.tls.Fault;
import dev.handshake.tls.FinishedVerified;
import dev.handshake.tls.HandshakeContext;
import dev.handshake.tls.HandshakeState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.ResumptionTicket;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.cert.CertificateSummary;
import dev.handshake.tls.cert.CertificateValidation;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.KeyShare;
import dev.handshake.tls.crypto.RsaPreMasterSecret;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.keyschedule.Tls12KeySchedule;
import dev.handshake.tls.keyschedule.Tls12TrafficKeys;
import dev.handshake.tls.message.Certificate12;
import dev.handshake.tls.message.CertificateRequest12;
import dev.handshake.tls.message.CertificateVerify;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.ClientKeyExchangeEcdhe;
import dev.handshake.tls.message.ClientKeyExchangeRsa;
import dev.handshake.tls.message.ServerKeyExchangeEcdhe;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.Finished;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.NewSessionTicket12;
import dev.handshake.tls.message.ServerHelloDone;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.RenegotiationInfoExtension;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.KeyExchange;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS 1.2 client (RFC 5246 §7.3), seed steps 1-11 from the client's side:
 * <pre>
 *   start --ClientHello--> ExpectServerHello --> ExpectServerCertificate --(step 3: check chain and name)-->
 *   ExpectServerHelloDone (CertificateRequest may come first) --ServerHelloDone/ [Certificate] ClientKeyExchange
 *   [CertificateVerify] CCS Finished--> ExpectChangeCipherSpec --> ExpectFinished --> Established
 *   Established --HelloRequest, or our own request--> ClientHello (renegotiation, step 11)
 * </pre>
 */
public final class Tls12ClientHandshake {

    private Tls12ClientHandshake() {
    }

    /** Seed step 1: sends ClientHello on a new connection. */
    public static HandshakeState start(HandshakeContext context) {
        return sendClientHello(context, null);
    }

    /**
     * A ServerHello choosing TLS 1.2 in answer to a ClientHello that also offered TLS 1.3 (sent by
     * {@code Tls13ClientHandshake}, which has already checked the downgrade sentinel): from here the TLS 1.2 client
     * continues as if it had sent that ClientHello itself. {@code offered} holds only the TLS 1.2 suites, so a 1.3
     * suite in a 1.2 ServerHello is refused.
     */
    public static HandshakeState processServerHello(HandshakeContext context, HandshakeFrame message,
                                                    byte[] clientRandom, List<CipherSuiteId> offered,
                                                    boolean offeredAlpn, byte[] clientHello,
                                                    ResumptionTicket offeredSession, byte[] offeredSessionId) {
        return new ExpectServerHello(clientRandom, offered, offeredAlpn, null, clientHello, offeredSession,
                offeredSessionId).onMessage(context, message);
    }

    /**
     * The configured TLS 1.2 session to offer, if it is one we may still resume: within its lifetime, with the
     * extended master secret (RFC 7627 §5.3: we never resume a session without it), a suite we offer and the same
     * server name.
     */
    public static ResumptionTicket resumable12(HandshakeContext context, List<CipherSuiteId> offered12) {
        ResumptionTicket session = context.config().resumption();
        if (session == null || !session.version().equals(ProtocolVersion.TLS1_2) || !session.extendedMasterSecret()
                || !offered12.contains(session.cipherSuite())
                || !java.util.Objects.equals(session.serverName(), context.config().serverName())) {
            return null;
        }
        if (!session.isFresh(context.crypto().now().toEpochMilli())) {
            context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "resumption",
                    "TLS 1.2 session expired: not offered"));
            return null;
        }
        return session;
    }

    /**
     * The session id a ClientHello offering {@code session} carries: the session's own id, or for a ticket a fresh
     * random one, which the server echoes when it accepts the ticket (RFC 5077 §3.4).
     */
    public static byte[] sessionIdFor(HandshakeContext context, ResumptionTicket session) {
        if (session.ticket().length == 0) {
            return session.sessionId();
        }
        byte[] id = new byte[32];
        context.crypto().randomBytes(id);
        return id;
    }

    record Negotiated(
            byte[] clientRandom,
            byte[] serverRandom,
            byte[] sessionId,
            CipherSuiteId cipherSuite,
            boolean extendedMasterSecret,
            boolean secureRenegotiation,
            String applicationProtocol,
            List<byte[]> serverCertificates,
            CertificateRequest12 certificateRequest,
            NamedGroup group,
            byte[] serverPublic,
            SessionInfo previous,
            byte[] transcript) {

        CipherSuite suite() {
            return CipherSuites.require(cipherSuite);
        }

        Negotiated append(byte[] message) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, extendedMasterSecret,
                    secureRenegotiation, applicationProtocol, serverCertificates, certificateRequest, group,
                    serverPublic, previous, Bytes.concat(transcript, message));
        }

        Negotiated withServerCertificates(List<byte[]> chain) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, extendedMasterSecret,
                    secureRenegotiation, applicationProtocol, chain, certificateRequest, group, serverPublic, previous,
                    transcript);
        }

        Negotiated withCertificateRequest(CertificateRequest12 request) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, extendedMasterSecret,
                    secureRenegotiation, applicationProtocol, serverCertificates, request, group, serverPublic, previous,
                    transcript);
        }

        Negotiated withServerShare(NamedGroup g, byte[] share) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, extendedMasterSecret,
                    secureRenegotiation, applicationProtocol, serverCertificates, certificateRequest, g, share, previous,
                    transcript);
        }

        byte[] transcriptHash(CryptoProvider crypto) {
            return Tls12KeySchedule.transcriptHash(crypto, suite().prfHash(), transcript);
        }

        boolean renegotiating() {
            return previous != null;
        }
    }

    /** Seed step 2: the server's choice. */
    private record ExpectServerHello(byte[] clientRandom, List<CipherSuiteId> offered, boolean offeredAlpn,
                                     SessionInfo previous, byte[] transcript, ResumptionTicket offeredSession,
                                     byte[] offeredSessionId) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_HELLO;
        }

        @Override
        public boolean acceptsApplicationData() {
            return previous != null;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.HELLO_REQUEST) && message.body().length == 0) {
                return this; // RFC 5246 §7.4.1.1: ignored while negotiating
            }
            require(message, HandshakeType.SERVER_HELLO);
            ServerHello hello = ServerHello.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, hello, message);
            if (!hello.legacyVersion().equals(ProtocolVersion.TLS1_2)) {
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "server chose " + hello.legacyVersion());
            }
            if (!offered.contains(hello.cipherSuite())) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server chose a suite we did not offer: " + hello.cipherSuite());
            }
            if (hello.compressionMethod() != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server chose compression " + hello.compressionMethod());
            }
            Set<ExtensionType> allowed = Set.of(ExtensionType.RENEGOTIATION_INFO, ExtensionType.EXTENDED_MASTER_SECRET,
                    ExtensionType.SERVER_NAME, ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
                    ExtensionType.EC_POINT_FORMATS, ExtensionType.SESSION_TICKET);
            for (Extension extension : hello.extensions()) {
                if (!allowed.contains(extension.type())
                        || (extension.type().equals(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION) && !offeredAlpn)) {
                    // RFC 5246 §7.4.1.4: a server may only echo extensions the client offered
                    throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION, "unsolicited extension " + extension.type());
                }
            }
            Optional<byte[]> binding = hello.extensions().stream()
                    .filter(e -> e.type().equals(ExtensionType.RENEGOTIATION_INFO)).findFirst()
                    .map(e -> RenegotiationInfoExtension.decode(e.data()).renegotiatedConnection());
            boolean secure;
            if (previous == null) {
                if (binding.isPresent() && binding.get().length != 0) {
                    throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "non-empty renegotiation_info on the first handshake");
                }
                secure = binding.isPresent();
            } else {
                // RFC 5746 §3.5: the server must echo both previous verify_data values
                byte[] expected = Bytes.concat(previous.clientVerifyData(), previous.serverVerifyData());
                if (binding.isEmpty() || !Bytes.constantTimeEquals(binding.get(), expected)) {
                    throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "renegotiation_info does not bind the previous handshake");
                }
                secure = true;
            }
            boolean ems = hello.extensions().stream().anyMatch(e -> e.type().equals(ExtensionType.EXTENDED_MASTER_SECRET));
            if (previous != null && previous.extendedMasterSecret() && !ems) {
                // RFC 7627 §5.3 spirit: never fall back from the extended master secret on the same connection
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "server dropped extended_master_secret");
            }
            String alpn = hello.extensions().stream()
                    .filter(e -> e.type().equals(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION)).findFirst()
                    .map(e -> AlpnExtension.decode(e.data()).protocols()).map(list -> {
                        if (list.size() != 1 || !context.config().applicationProtocols().contains(list.get(0))) {
                            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server selected an ALPN protocol we did not offer");
                        }
                        return list.get(0);
                    }).orElse(null);
            CipherSuite suite = CipherSuites.require(hello.cipherSuite());
            if (offeredSession != null && hello.sessionId().length > 0
                    && Bytes.constantTimeEquals(hello.sessionId(), offeredSessionId)) {
                // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: the echoed id means the server resumes our session
                if (!suite.id().equals(offeredSession.cipherSuite())) {
                    throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                            "resumed session with another cipher suite than the session's");
                }
                if (!ems) {
                    // RFC 7627 §5.3: a session with the extended master secret resumed without it: abort
                    throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE,
                            "server resumed without extended_master_secret");
                }
                Negotiated n = new Negotiated(clientRandom, hello.random(), hello.sessionId(), suite.id(), true, secure,
                        alpn, offeredSession.peerCertificates(), null, null, null, null,
                        Bytes.concat(transcript, message.encode()));
                Secret master = offeredSession.secret();
                Tls12TrafficKeys keys = Tls12TrafficKeys.derive(context.crypto(), suite, master, n.clientRandom(),
                        n.serverRandom());
                context.event(new HandshakeEvent.ValueComputed(SeedStep.SERVER_HELLO, "resumption",
                        "server echoed our session id: abbreviated handshake, no certificates"));
                return new ExpectResumedChangeCipherSpec(n, master, keys, offeredSession, null);
            }
            Negotiated n = new Negotiated(clientRandom, hello.random(), hello.sessionId(), suite.id(), ems, secure, alpn,
                    List.of(), null, null, null, previous, Bytes.concat(transcript, message.encode()));
            return new ExpectServerCertificate(n);
        }
    }

    /** Seed steps 2 and 3: the server's chain, checked against our trust anchors and the name we asked for. */
    private record ExpectServerCertificate(Negotiated negotiated) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_AUTHENTICATION;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE);
            Certificate12 certificate = Certificate12.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, certificate, message);
            List<byte[]> chain = certificate.certificateChain();
            if (chain.isEmpty()) {
                // RFC 5246 §7.4.2: a server's Certificate always carries its certificate
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "server sent an empty Certificate message");
            }
            PeerAuthentication.requireTrustedChain(context, chain, SeedStep.SERVER_AUTHENTICATION);
            if (negotiated.renegotiating() && !sameLeaf(negotiated.previous().peerCertificates(), chain)) {
                // the triple-handshake attack changes the server's identity across renegotiation; refuse that
                throw new TlsAlertException(AlertDescription.BAD_CERTIFICATE, "server certificate changed during renegotiation");
            }
            PublicKey key = Certificates.leafKey(context.crypto(), chain.get(0));
            KeyExchange kx = negotiated.suite().keyExchange();
            String needed = kx == KeyExchange.ECDHE_ECDSA ? "EC" : "RSA";
            if (!key.getAlgorithm().equals(needed)) {
                throw new TlsAlertException(AlertDescription.UNSUPPORTED_CERTIFICATE, kx + " needs an " + needed + " certificate");
            }
            Negotiated n = negotiated.withServerCertificates(chain).append(message.encode());
            return kx.isEcdhe() ? new ExpectServerKeyExchange(n) : new ExpectServerHelloDone(n);
        }
    }

    /** Seed step 2 (ECDHE): the server's signed ephemeral share; its signature is checked against the certificate. */
    private record ExpectServerKeyExchange(Negotiated negotiated) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_HELLO;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.SERVER_KEY_EXCHANGE);
            ServerKeyExchangeEcdhe exchange = ServerKeyExchangeEcdhe.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, exchange, message);
            if (!KeyAgreementGroups.supports(exchange.group())) {
                // RFC 8422 §5.4: the curve must be one the client offered
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server chose group " + exchange.group());
            }
            PublicKey key = Certificates.leafKey(context.crypto(), negotiated.serverCertificates().get(0));
            if (!offeredSignatureSchemes().contains(exchange.signatureScheme())
                    || !Signatures.compatible(exchange.signatureScheme(), key)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "ServerKeyExchange signed with " + exchange.signatureScheme() + ", which we did not offer for this key");
            }
            byte[] signed = Bytes.concat(negotiated.clientRandom(), negotiated.serverRandom(), exchange.signedParams());
            if (!Signatures.verify(context.crypto(), exchange.signatureScheme(), key, signed, exchange.signature())) {
                throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, "ServerKeyExchange signature is invalid");
            }
            return new ExpectServerHelloDone(negotiated.withServerShare(exchange.group(), exchange.publicKey())
                    .append(message.encode()));
        }
    }

    /** Seed step 2, end: an optional CertificateRequest, then ServerHelloDone; then our whole flight (4, 5, 8). */
    private record ExpectServerHelloDone(Negotiated negotiated) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_HELLO;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.CERTIFICATE_REQUEST) && negotiated.certificateRequest() == null) {
                CertificateRequest12 request = CertificateRequest12.decode(message.body());
                context.received(SeedStep.SERVER_HELLO, request, message);
                return new ExpectServerHelloDone(negotiated.withCertificateRequest(request).append(message.encode()));
            }
            require(message, HandshakeType.SERVER_HELLO_DONE);
            ServerHelloDone done = ServerHelloDone.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, done, message);
            return sendClientFlight(context, negotiated.append(message.encode()));
        }
    }

    private static HandshakeState sendClientFlight(HandshakeContext context, Negotiated negotiated) {
        CryptoProvider crypto = context.crypto();
        CipherSuite suite = negotiated.suite();
        Negotiated n = negotiated;

        Identity identity = null;
        SignatureScheme scheme = null;
        if (n.certificateRequest() != null) {
            for (Identity candidate : context.config().identities()) {
                Optional<SignatureScheme> chosen = Signatures.choose(n.certificateRequest().signatureAlgorithms(),
                        Signatures.DEFAULT_PREFERENCE, candidate.leaf().getPublicKey(), ProtocolVersion.TLS1_2);
                if (chosen.isPresent()) {
                    identity = candidate;
                    scheme = chosen.get();
                    break;
                }
            }
            // RFC 5246 §7.4.6: with no suitable certificate the client sends an empty Certificate message
            List<byte[]> chain = identity == null ? List.of() : Certificates.encode(identity.chain());
            n = n.append(context.send(SeedStep.CLIENT_AUTHENTICATION_SIGNED, new Certificate12(chain)));
        }

        Secret preMaster;
        if (suite.keyExchange() == KeyExchange.RSA) {
            // RFC 5246 §7.4.7.1: client_version (the version we offered) followed by 46 random bytes
            byte[] pms = new byte[48];
            crypto.randomBytes(pms);
            pms[0] = 3;
            pms[1] = 3;
            preMaster = new Secret(pms);
            context.secret(SeedStep.PRE_MASTER_SECRET, "pre_master_secret", preMaster);
            PublicKey serverKey = Certificates.leafKey(crypto, n.serverCertificates().get(0));
            byte[] encrypted = RsaPreMasterSecret.encrypt(crypto, serverKey, pms);
            if (context.config().injects(Fault.TAMPER_PRE_MASTER_SECRET)) {
                encrypted = Fault.corrupt(encrypted);
            }
            n = n.append(context.send(SeedStep.PRE_MASTER_SECRET, new ClientKeyExchangeRsa(encrypted)));
        } else {
            // seed step 4 in ECDHE terms: we send our share; the pre-master is the ECDH shared secret
            KeyShare share = KeyAgreementGroups.generate(crypto, n.group());
            preMaster = KeyAgreementGroups.agree(crypto, n.group(), share.privateKey(), n.serverPublic());
            context.secret(SeedStep.PRE_MASTER_SECRET, "pre_master_secret", preMaster);
            n = n.append(context.send(SeedStep.PRE_MASTER_SECRET, new ClientKeyExchangeEcdhe(share.publicKey())));
        }

        Secret master = n.extendedMasterSecret()
                ? Tls12KeySchedule.extendedMasterSecret(crypto, suite.prfHash(), preMaster, n.transcriptHash(crypto))
                : Tls12KeySchedule.masterSecret(crypto, suite.prfHash(), preMaster, n.clientRandom(), n.serverRandom());
        context.secret(SeedStep.MASTER_SECRET, n.extendedMasterSecret() ? "extended_master_secret" : "master_secret", master);

        if (identity != null) {
            byte[] signature = Signatures.sign(crypto, scheme, identity.privateKey(), n.transcript());
            if (context.config().injects(Fault.TAMPER_CERTIFICATE_VERIFY)) {
                signature = Fault.corrupt(signature);
            }
            n = n.append(context.send(SeedStep.CLIENT_AUTHENTICATION_SIGNED, new CertificateVerify(scheme, signature)));
        }

        Tls12TrafficKeys keys = Tls12TrafficKeys.derive(crypto, suite, master, n.clientRandom(), n.serverRandom());
        if (context.config().revealSecrets()) {
            context.secret(SeedStep.SESSION_KEYS, "client_write_key", keys.clientWrite().key());
            context.secret(SeedStep.SESSION_KEYS, "server_write_key", keys.serverWrite().key());
        }
        context.sendChangeCipherSpec(SeedStep.CLIENT_FINISHED);
        context.changeWriteProtection(SeedStep.CLIENT_FINISHED, keys.clientWrite(), suite.name());
        byte[] clientVerifyData = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), master, true, n.transcriptHash(crypto));
        if (context.config().injects(Fault.TAMPER_FINISHED)) {
            clientVerifyData = Fault.corrupt(clientVerifyData);
        }
        n = n.append(context.send(SeedStep.CLIENT_FINISHED, new Finished(clientVerifyData)));
        return new ExpectChangeCipherSpec(n, master, keys, clientVerifyData, null);
    }

    /** Seed step 9: the server switches to the new keys. */
    private record ExpectChangeCipherSpec(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys,
                                          byte[] clientVerifyData, NewSessionTicket12 ticket) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_FINISHED;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.NEW_SESSION_TICKET) && ticket == null && !negotiated.renegotiating()) {
                // RFC 5077 §3.3: the server's ticket comes before its ChangeCipherSpec and enters the transcript
                NewSessionTicket12 received = NewSessionTicket12.decode(message.body());
                context.received(SeedStep.SERVER_FINISHED, received, message);
                return new ExpectChangeCipherSpec(negotiated.append(message.encode()), masterSecret, keys,
                        clientVerifyData, received);
            }
            throw unexpected(message.type().name());
        }

        @Override
        public HandshakeState onChangeCipherSpec(HandshakeContext context) {
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(SeedStep.SERVER_FINISHED));
            context.changeReadProtection(SeedStep.SERVER_FINISHED, keys.serverWrite(), negotiated.cipherSuite().name());
            return new ExpectFinished(negotiated, masterSecret, clientVerifyData, ticket);
        }
    }

    private record ExpectFinished(Negotiated negotiated, Secret masterSecret, byte[] clientVerifyData,
                                  NewSessionTicket12 ticket) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.FINISHED);
            Finished finished = Finished.decode(message.body());
            context.received(SeedStep.SERVER_FINISHED, finished, message);
            CryptoProvider crypto = context.crypto();
            byte[] expected = Tls12KeySchedule.verifyData(crypto, negotiated.suite().prfHash(), masterSecret, false,
                    negotiated.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());
            Negotiated n = negotiated;
            SessionInfo session = new SessionInfo(ProtocolVersion.TLS1_2, n.cipherSuite(), n.group(), masterSecret,
                    n.extendedMasterSecret(), n.clientRandom(), n.serverRandom(), n.sessionId(), clientVerifyData,
                    finished.verifyData(), n.secureRenegotiation(), n.serverCertificates(), n.applicationProtocol(),
                    context.config().serverName(), false);
            ResumptionTicket kept = resumptionOf(context, n, masterSecret, ticket, null);
            if (kept != null) {
                session = session.withTicket(kept);
            }
            context.established(session);
            List<Map<String, Object>> chain = new ArrayList<>();
            for (byte[] der : n.serverCertificates()) {
                CertificateSummary summary = CertificateValidation.summarize(crypto, der);
                chain.add(summary == null ? java.util.Map.of("undecodable", true) : summary.describe());
            }
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                    n.cipherSuite(), n.group(), n.extendedMasterSecret(), false, n.renegotiating(), n.applicationProtocol(),
                    context.config().serverName(), chain));
            return Established.after(verified, session);
        }
    }

    /**
     * What we keep to resume this TLS 1.2 session: the server's ticket, or else the session id it gave, with the master
     * secret; nothing for a session without the extended master secret (RFC 7627 §5.3) or a renegotiation.
     */
    private static ResumptionTicket resumptionOf(HandshakeContext context, Negotiated n, Secret master,
                                                 NewSessionTicket12 ticket, ResumptionTicket previousTicket) {
        if (!n.extendedMasterSecret() || n.renegotiating()) {
            return null;
        }
        byte[] ticketBytes = ticket != null ? ticket.ticket()
                : previousTicket != null ? previousTicket.ticket() : Bytes.EMPTY;
        if (ticketBytes.length == 0 && n.sessionId().length == 0) {
            return null;
        }
        // RFC 5077 §3.3: a hint of 0 says nothing; we then keep it no longer than a server's usual two hours
        long lifetime = ticket != null && ticket.lifetimeHintSeconds() > 0 ? ticket.lifetimeHintSeconds()
                : previousTicket != null ? previousTicket.lifetimeSeconds() : 7200;
        long receivedAt = ticket == null && previousTicket != null ? previousTicket.receivedAtMillis()
                : context.crypto().now().toEpochMilli();
        return new ResumptionTicket(ProtocolVersion.TLS1_2, n.cipherSuite(), ticketBytes,
                ticketBytes.length == 0 ? n.sessionId() : Bytes.EMPTY, master, true, 0, lifetime, receivedAt,
                context.config().serverName(), n.applicationProtocol(), n.serverCertificates());
    }

    /** Seed step 9 of an abbreviated handshake: [NewSessionTicket] and the server's ChangeCipherSpec come first. */
    private record ExpectResumedChangeCipherSpec(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys,
                                                 ResumptionTicket session, NewSessionTicket12 ticket)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.NEW_SESSION_TICKET) && ticket == null) {
                NewSessionTicket12 received = NewSessionTicket12.decode(message.body());
                context.received(SeedStep.SERVER_FINISHED, received, message);
                return new ExpectResumedChangeCipherSpec(negotiated.append(message.encode()), masterSecret, keys,
                        session, received);
            }
            throw unexpected(message.type().name());
        }

        @Override
        public HandshakeState onChangeCipherSpec(HandshakeContext context) {
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(SeedStep.SERVER_FINISHED));
            context.changeReadProtection(SeedStep.SERVER_FINISHED, keys.serverWrite(), negotiated.cipherSuite().name());
            return new ExpectResumedFinished(negotiated, masterSecret, keys, session, ticket);
        }
    }

    /** Seed steps 9 then 8 of an abbreviated handshake: the server's Finished, then our CCS and Finished. */
    private record ExpectResumedFinished(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys,
                                         ResumptionTicket session, NewSessionTicket12 ticket) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.FINISHED);
            Finished finished = Finished.decode(message.body());
            context.received(SeedStep.SERVER_FINISHED, finished, message);
            CryptoProvider crypto = context.crypto();
            CipherSuite suite = negotiated.suite();
            byte[] expected = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), masterSecret, false,
                    negotiated.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());
            Negotiated n = negotiated.append(message.encode());
            context.sendChangeCipherSpec(SeedStep.CLIENT_FINISHED);
            context.changeWriteProtection(SeedStep.CLIENT_FINISHED, keys.clientWrite(), suite.name());
            byte[] clientVerifyData = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), masterSecret, true,
                    n.transcriptHash(crypto));
            if (context.config().injects(Fault.TAMPER_FINISHED)) {
                clientVerifyData = Fault.corrupt(clientVerifyData);
            }
            context.send(SeedStep.CLIENT_FINISHED, new Finished(clientVerifyData));
            SessionInfo established = new SessionInfo(ProtocolVersion.TLS1_2, n.cipherSuite(), null, masterSecret, true,
                    n.clientRandom(), n.serverRandom(), n.sessionId(), clientVerifyData, finished.verifyData(),
                    n.secureRenegotiation(), n.serverCertificates(), n.applicationProtocol(),
                    context.config().serverName(), true);
            ResumptionTicket kept = resumptionOf(context, n, masterSecret, ticket, session);
            if (kept != null) {
                established = established.withTicket(kept);
            }
            context.established(established);
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                    n.cipherSuite(), null, true, true, false, n.applicationProtocol(), context.config().serverName(),
                    List.of()));
            return Established.after(verified, established);
        }
    }

    /** Seed steps 10 and 11. */
    private record Established(SessionInfo session) implements EstablishedState {

        static Established after(FinishedVerified verified, SessionInfo session) {
            java.util.Objects.requireNonNull(verified, "Finished must be verified before traffic");
            return new Established(session);
        }

        @Override
        public SeedStep step() {
            return SeedStep.APPLICATION_DATA;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.HELLO_REQUEST);
            if (message.body().length != 0) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "HelloRequest with a body");
            }
            context.event(new HandshakeEvent.MessageReceived(SeedStep.RENEGOTIATION, "hello_request", Map.of(), message.encode()));
            Optional<String> refusal = context.renegotiationRefusal();
            if (refusal.isPresent()) {
                context.sendWarning(SeedStep.RENEGOTIATION, AlertDescription.NO_RENEGOTIATION, refusal.get());
                context.event(new HandshakeEvent.RenegotiationRefused(SeedStep.RENEGOTIATION, refusal.get()));
                return this;
            }
            context.renegotiationStarted(SeedStep.RENEGOTIATION, "server");
            return sendClientHello(context, session);
        }

        @Override
        public HandshakeState renegotiate(HandshakeContext context) {
            Optional<String> refusal = context.renegotiationRefusal();
            if (refusal.isPresent()) {
                throw new IllegalStateException("cannot renegotiate: " + refusal.get());
            }
            context.renegotiationStarted(SeedStep.RENEGOTIATION, "client");
            return sendClientHello(context, session);
        }
    }

    private static HandshakeState sendClientHello(HandshakeContext context, SessionInfo previous) {
        TlsConfig config = context.config();
        byte[] random = new byte[32];
        context.crypto().randomBytes(random);
        List<CipherSuiteId> suites = new ArrayList<>();
        for (CipherSuiteId id : config.enabledSuites()) {
            CipherSuite suite = CipherSuites.require(id);
            if (!suite.isTls13()) {
                suites.add(id);
            }
        }
        boolean ecdhe = suites.stream().anyMatch(id -> CipherSuites.require(id).keyExchange().isEcdhe());
        List<CipherSuiteId> offered = List.copyOf(suites);
        List<Extension> extensions = new ArrayList<>();
        if (config.serverName() != null && !isIpLiteral(config.serverName())) {
            // RFC 6066 §3: literal IP addresses are not sent as server names
            extensions.add(new ServerNameExtension(List.of(config.serverName())).toExtension());
        }
        extensions.add(new SignatureAlgorithmsExtension(offeredSignatureSchemes()).toExtension());
        if (ecdhe) {
            extensions.add(new SupportedGroupsExtension(KeyAgreementGroups.SUPPORTED).toExtension());
            extensions.add(new EcPointFormatsExtension(new byte[] {0}).toExtension());
        }
        extensions.add(new ExtendedMasterSecretExtension().toExtension());
        // RFC 5746 §3.4/§3.5: empty on the first handshake, our previous verify_data on a renegotiation
        if (!config.injects(Fault.OMIT_RENEGOTIATION_INFO)) {
            extensions.add(new RenegotiationInfoExtension(previous == null ? Bytes.EMPTY : previous.clientVerifyData()).toExtension());
        }
        boolean alpn = !config.applicationProtocols().isEmpty();
        if (alpn) {
            extensions.add(new AlpnExtension(config.applicationProtocols()).toExtension());
        }
        ResumptionTicket session = previous == null ? resumable12(context, offered) : null;
        byte[] sessionId = session == null ? Bytes.EMPTY : sessionIdFor(context, session);
        if (previous == null) {
            // RFC 5077 §3.2: our ticket, or an empty extension asking for one
            extensions.add(new SessionTicketExtension(session == null ? Bytes.EMPTY : session.ticket()).toExtension());
        }
        ClientHello hello = new ClientHello(ProtocolVersion.TLS1_2, random, sessionId, offered, new byte[] {0}, extensions);
        byte[] encoded = context.send(SeedStep.CLIENT_HELLO, hello);
        return new ExpectServerHello(random, offered, alpn, previous, encoded, session, sessionId);
    }

    public static List<SignatureScheme> offeredSignatureSchemes() {
        return Signatures.DEFAULT_PREFERENCE;
    }

    private static boolean sameLeaf(List<byte[]> previous, List<byte[]> current) {
        return !previous.isEmpty() && !current.isEmpty() && java.util.Arrays.equals(previous.get(0), current.get(0));
    }

    public static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }

}
