package dev.handshake.tls.server;

import dev.handshake.tls.PeerAuthentication;
import dev.handshake.tls.Certificates;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.EstablishedState;
import dev.handshake.tls.Fault;
import dev.handshake.tls.FinishedVerified;
import dev.handshake.tls.HandshakeContext;
import dev.handshake.tls.HandshakeState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
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
import dev.handshake.tls.message.HelloRequest;
import dev.handshake.tls.message.NewSessionTicket12;
import dev.handshake.tls.resumption.TicketContents;
import dev.handshake.tls.resumption.TicketSealer;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.ServerHelloDone;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.RenegotiationInfoExtension;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.record.ProtectionState;
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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The TLS 1.2 server (RFC 5246 §7.3), seed steps 1-11 from the server's side:
 * <pre>
 *   ExpectClientHello --ClientHello/ServerHello..ServerHelloDone--> ExpectClientCertificate (client auth)
 *                                                                or ExpectClientKeyExchange
 *   ExpectClientCertificate --Certificate--> ExpectClientKeyExchange
 *   ExpectClientKeyExchange --ClientKeyExchange--> ExpectCertificateVerify (client sent a certificate)
 *                                               or ExpectChangeCipherSpec
 *   ExpectCertificateVerify --CertificateVerify--> ExpectChangeCipherSpec --CCS--> ExpectFinished
 *   ExpectFinished --Finished/CCS,Finished--> Established --ClientHello--> (renegotiation, step 11)
 * </pre>
 * The states are private records: only the transitions in this class can build them, and {@link Established} only
 * from a {@link FinishedVerified}.
 */
public final class Tls12ServerHandshake {

    private Tls12ServerHandshake() {
    }

    public static HandshakeState expectClientHello() {
        return new ExpectClientHello();
    }

    /**
     * What this handshake has negotiated so far. {@code transcript} is every handshake message in order (with
     * headers), from which the session hash, CertificateVerify input and Finished hashes are taken.
     */
    record Negotiated(
            ProtocolVersion clientVersion,
            byte[] clientRandom,
            byte[] serverRandom,
            byte[] sessionId,
            CipherSuiteId cipherSuite,
            boolean extendedMasterSecret,
            boolean secureRenegotiation,
            String serverName,
            String applicationProtocol,
            List<SignatureScheme> clientSignatureAlgorithms,
            List<SignatureScheme> requestedSignatureAlgorithms,
            boolean clientCertificateRequested,
            List<byte[]> clientCertificates,
            NamedGroup group,
            KeyShare serverShare,
            SessionInfo previous,
            byte[] transcript,
            boolean issueTicket) {

        CipherSuite suite() {
            return CipherSuites.require(cipherSuite);
        }

        Negotiated append(byte[] message) {
            return withTranscript(Bytes.concat(transcript, message));
        }

        Negotiated withTranscript(byte[] t) {
            return new Negotiated(clientVersion, clientRandom, serverRandom, sessionId, cipherSuite,
                    extendedMasterSecret, secureRenegotiation, serverName, applicationProtocol, clientSignatureAlgorithms,
                    requestedSignatureAlgorithms, clientCertificateRequested, clientCertificates, group, serverShare, previous, t,
                    issueTicket);
        }

        Negotiated withClientCertificates(List<byte[]> chain) {
            return new Negotiated(clientVersion, clientRandom, serverRandom, sessionId, cipherSuite,
                    extendedMasterSecret, secureRenegotiation, serverName, applicationProtocol, clientSignatureAlgorithms,
                    requestedSignatureAlgorithms, clientCertificateRequested, chain, group, serverShare, previous, transcript,
                    issueTicket);
        }

        byte[] transcriptHash(CryptoProvider crypto) {
            return Tls12KeySchedule.transcriptHash(crypto, suite().prfHash(), transcript);
        }

        /** During renegotiation the previous session's keys still carry application data (RFC 5246 §7.4.1.2). */
        boolean renegotiating() {
            return previous != null;
        }
    }

    /** Seed step 1: waiting for the ClientHello of a new connection. */
    private record ExpectClientHello() implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_HELLO;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CLIENT_HELLO);
            return processClientHello(context, message, null);
        }
    }

    /** Seed step 5: the client's Certificate, after we sent CertificateRequest. */
    private record ExpectClientCertificate(Negotiated negotiated) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_AUTHENTICATION_SIGNED;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE);
            Certificate12 certificate = Certificate12.decode(message.body());
            context.received(SeedStep.CLIENT_AUTHENTICATION_SIGNED, certificate, message);
            List<byte[]> chain = certificate.certificateChain();
            TlsConfig config = context.config();
            if (chain.isEmpty()) {
                if (config.clientAuth() == ClientAuth.REQUIRED) {
                    // RFC 5246 §7.4.6: a server that requires client authentication may answer with handshake_failure
                    throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "client certificate required, none sent");
                }
                context.event(new HandshakeEvent.PeerCertificateChecked(SeedStep.MASTER_SECRET, false, "NONE",
                        "client sent no certificate; client authentication is optional", null));
            } else {
                PeerAuthentication.requireTrustedChain(context, chain, SeedStep.MASTER_SECRET);
            }
            return new ExpectClientKeyExchange(negotiated.withClientCertificates(chain).append(message.encode()));
        }
    }

    /** Seed step 4: the pre-master secret, RSA-encrypted to our certificate's key. */
    private record ExpectClientKeyExchange(Negotiated negotiated) implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.PRE_MASTER_SECRET;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CLIENT_KEY_EXCHANGE);
            CryptoProvider crypto = context.crypto();
            CipherSuite suite = negotiated.suite();
            Negotiated n = negotiated.append(message.encode());
            Secret preMaster;
            if (suite.keyExchange() == KeyExchange.RSA) {
                ClientKeyExchangeRsa exchange = ClientKeyExchangeRsa.decode(message.body());
                context.received(SeedStep.PRE_MASTER_SECRET, exchange, message);
                Identity identity = identityFor(context.config(), suite);
                // RFC 5246 §7.4.7.1: never reveal whether decryption worked; a bad pre-master fails at Finished
                preMaster = new Secret(RsaPreMasterSecret.decrypt(crypto, identity.privateKey(),
                        exchange.encryptedPreMasterSecret(), n.clientVersion()));
            } else {
                ClientKeyExchangeEcdhe exchange = ClientKeyExchangeEcdhe.decode(message.body());
                context.received(SeedStep.PRE_MASTER_SECRET, exchange, message);
                // seed step 4 in ECDHE terms: the client sent its share; the pre-master is the ECDH shared secret
                preMaster = KeyAgreementGroups.agree(crypto, n.group(), n.serverShare().privateKey(), exchange.publicKey());
            }
            context.secret(SeedStep.MASTER_SECRET, "pre_master_secret", preMaster);

            Secret master = n.extendedMasterSecret()
                    // RFC 7627 §4: the session hash covers the transcript up to and including ClientKeyExchange
                    ? Tls12KeySchedule.extendedMasterSecret(crypto, suite.prfHash(), preMaster, n.transcriptHash(crypto))
                    : Tls12KeySchedule.masterSecret(crypto, suite.prfHash(), preMaster, n.clientRandom(), n.serverRandom());
            context.secret(SeedStep.MASTER_SECRET, n.extendedMasterSecret() ? "extended_master_secret" : "master_secret", master);

            Tls12TrafficKeys keys = Tls12TrafficKeys.derive(crypto, suite, master, n.clientRandom(), n.serverRandom());
            revealKeys(context, keys);
            if (!n.clientCertificates().isEmpty()) {
                return new ExpectCertificateVerify(n, master, keys);
            }
            return new ExpectChangeCipherSpec(n, master, keys);
        }
    }

    /** Seed step 5: the client proves it holds its certificate's key by signing the transcript so far. */
    private record ExpectCertificateVerify(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_AUTHENTICATION_SIGNED;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE_VERIFY);
            CertificateVerify verify = CertificateVerify.decode(message.body());
            context.received(SeedStep.CLIENT_AUTHENTICATION_SIGNED, verify, message);
            if (!negotiated.requestedSignatureAlgorithms().contains(verify.scheme())) {
                // RFC 5246 §7.4.8: the algorithm must be one we listed in CertificateRequest
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "CertificateVerify uses " + verify.scheme() + ", which was not offered");
            }
            PublicKey key = Certificates.leafKey(context.crypto(), negotiated.clientCertificates().get(0));
            if (!Signatures.compatible(verify.scheme(), key)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        verify.scheme() + " does not fit the client certificate's key");
            }
            if (!Signatures.verify(context.crypto(), verify.scheme(), key, negotiated.transcript(), verify.signature())) {
                throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, "client CertificateVerify signature is invalid");
            }
            context.event(new HandshakeEvent.ValueComputed(SeedStep.MASTER_SECRET, "client_certificate_verify",
                    "signature by the client's key verified with " + verify.scheme()));
            return new ExpectChangeCipherSpec(negotiated.append(message.encode()), masterSecret, keys);
        }
    }

    /** Seed step 8: the client switches to the new keys. */
    private record ExpectChangeCipherSpec(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_FINISHED;
        }

        @Override
        public boolean acceptsApplicationData() {
            return negotiated.renegotiating();
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            throw unexpected(message.type().name());
        }

        @Override
        public HandshakeState onChangeCipherSpec(HandshakeContext context) {
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(SeedStep.CLIENT_FINISHED));
            context.changeReadProtection(SeedStep.CLIENT_FINISHED, keys.clientWrite(), negotiated.cipherSuite().name());
            return new ExpectFinished(negotiated, masterSecret, keys);
        }
    }

    /** Seed step 8: the client's Finished, the first message under the new keys; then our step 9. */
    private record ExpectFinished(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.FINISHED);
            Finished finished = Finished.decode(message.body());
            context.received(SeedStep.CLIENT_FINISHED, finished, message);
            CryptoProvider crypto = context.crypto();
            CipherSuite suite = negotiated.suite();
            byte[] expected = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), masterSecret, true,
                    negotiated.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());

            Negotiated n = negotiated.append(message.encode());
            TicketContents resumable = new TicketContents(ProtocolVersion.TLS1_2, n.cipherSuite(), masterSecret,
                    n.extendedMasterSecret(), crypto.now().toEpochMilli(), 0, context.config().ticketLifetimeSeconds(),
                    n.serverName(), n.applicationProtocol(), n.clientCertificates(),
                    context.config().resumptionContext().id(crypto));
            if (n.issueTicket()) {
                // RFC 5077 §3.3: NewSessionTicket after the client's Finished, before our ChangeCipherSpec
                n = n.append(sendNewSessionTicket(context, resumable));
            }
            if (n.sessionId().length > 0) {
                context.storeSession(n.sessionId(), resumable);
            }
            context.sendChangeCipherSpec(SeedStep.SERVER_FINISHED);
            context.changeWriteProtection(SeedStep.SERVER_FINISHED, keys.serverWrite(), suite.name());
            byte[] serverVerifyData = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), masterSecret, false,
                    n.transcriptHash(crypto));
            if (context.config().injects(Fault.TAMPER_FINISHED)) {
                serverVerifyData = Fault.corrupt(serverVerifyData);
            }
            context.send(SeedStep.SERVER_FINISHED, new Finished(serverVerifyData));

            SessionInfo session = new SessionInfo(ProtocolVersion.TLS1_2, negotiated.cipherSuite(), n.group(), masterSecret,
                    n.extendedMasterSecret(), n.clientRandom(), n.serverRandom(), n.sessionId(), finished.verifyData(),
                    serverVerifyData, n.secureRenegotiation(), n.clientCertificates(), n.applicationProtocol(),
                    n.serverName(), false);
            context.established(session);
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                    negotiated.cipherSuite(), n.group(), n.extendedMasterSecret(), false, n.renegotiating(),
                    n.applicationProtocol(), n.serverName(), describeChain(context.crypto(), n.clientCertificates())));
            return Established.after(verified, session);
        }
    }

    /** Seed steps 10 and 11: application data flows; the client may renegotiate, or we may ask it to. */
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
            require(message, HandshakeType.CLIENT_HELLO);
            Optional<String> refusal = context.renegotiationRefusal();
            if (refusal.isPresent()) {
                // RFC 5746 §4.4 / RFC 5246 §7.2.2: refuse with a warning and keep the current session
                context.sendWarning(SeedStep.RENEGOTIATION, AlertDescription.NO_RENEGOTIATION, refusal.get());
                context.event(new HandshakeEvent.RenegotiationRefused(SeedStep.RENEGOTIATION, refusal.get()));
                return this;
            }
            context.renegotiationStarted(SeedStep.RENEGOTIATION, "client");
            return processClientHello(context, message, session);
        }

        @Override
        public HandshakeState renegotiate(HandshakeContext context) {
            Optional<String> refusal = context.renegotiationRefusal();
            if (refusal.isPresent()) {
                throw new IllegalStateException("cannot renegotiate: " + refusal.get());
            }
            // RFC 5246 §7.4.1.1: HelloRequest is not part of the transcript; the client answers with ClientHello
            context.send(SeedStep.RENEGOTIATION, new HelloRequest());
            return this;
        }
    }

    /** Seed steps 1 and 2: read the ClientHello, choose, and send ServerHello through ServerHelloDone. */
    static HandshakeState processClientHello(HandshakeContext context, HandshakeFrame message, SessionInfo previous) {
        ClientHello hello = ClientHello.decode(message.body());
        context.received(SeedStep.CLIENT_HELLO, hello, message);
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();

        if (hello.legacyVersion().code() < ProtocolVersion.TLS1_2.code()) {
            // RFC 8996: TLS 1.0 and 1.1 are not negotiated
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION,
                    "client offers at most " + hello.legacyVersion() + "; TLS 1.2 is the minimum");
        }
        if (!containsNullCompression(hello.compressionMethods())) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "client does not offer null compression");
        }
        // a server that omits renegotiation_info is, to the client, a legacy server: it must not renegotiate either
        boolean secureRenegotiation = checkRenegotiationInfo(hello, previous)
                && !config.injects(Fault.OMIT_RENEGOTIATION_INFO);

        boolean ems = hello.extension(ExtensionType.EXTENDED_MASTER_SECRET).isPresent();
        if (ems) {
            ExtendedMasterSecretExtension.decode(hello.extension(ExtensionType.EXTENDED_MASTER_SECRET).get().data());
        }
        String serverName = hello.extension(ExtensionType.SERVER_NAME)
                .map(e -> ServerNameExtension.decode(e.data()).hostNames())
                .filter(names -> !names.isEmpty()).map(names -> names.get(0)).orElse(null);
        List<SignatureScheme> clientSchemes = hello.extension(ExtensionType.SIGNATURE_ALGORITHMS)
                .map(e -> SignatureAlgorithmsExtension.decode(e.data()).schemes())
                // RFC 5246 §7.4.1.4.1: without the extension the client implies SHA-1, which RFC 9155 forbids:
                // no scheme is in common, so no ECDHE suite can be signed (RSA key exchange signs nothing)
                .orElse(List.of());
        String alpn = chooseApplicationProtocol(hello, config);
        NamedGroup group = chooseGroup(hello);

        if (previous == null) {
            TicketContents resumable = findResumableSession(context, hello, ems, serverName);
            if (resumable != null) {
                return resumeSession(context, message, hello, resumable, secureRenegotiation, alpn);
            }
        }
        CipherSuite suite = chooseSuite(hello, config, group, clientSchemes);
        Identity identity = identityFor(config, suite);
        // RFC 7627 §5.3: only sessions with the extended master secret are ever resumed, so only they get an id or
        // a ticket; a renegotiation gets neither (its session lives and dies with this connection)
        boolean resumableSession = ems && previous == null;
        boolean issueTicket = resumableSession && !config.ticketKeys().isEmpty()
                && hello.extension(ExtensionType.SESSION_TICKET).isPresent();
        byte[] sessionId = Bytes.EMPTY;
        // RFC 5077 §3.4: a server that will issue a ticket SHOULD send an empty session id; the client resumes by the
        // ticket, so the session-id cache holds only the sessions of clients without ticket support
        if (resumableSession && !issueTicket && config.sessionCache() != null) {
            sessionId = new byte[32];
            crypto.randomBytes(sessionId);
        }

        byte[] serverRandom = new byte[32];
        crypto.randomBytes(serverRandom);
        if (config.supportsTls13()) {
            // RFC 8446 §4.1.3: a TLS 1.3-capable server negotiating TLS 1.2 marks its random, so a 1.3 client notices
            // a downgrade forced by an attacker (the random is signed in ServerKeyExchange)
            byte[] sentinel = ServerHello.downgradeSentinelTls12();
            System.arraycopy(sentinel, 0, serverRandom, 24, sentinel.length);
        }
        List<Extension> extensions = new ArrayList<>();
        if (secureRenegotiation) {
            byte[] binding = previous == null ? Bytes.EMPTY
                    : Bytes.concat(previous.clientVerifyData(), previous.serverVerifyData());
            extensions.add(new RenegotiationInfoExtension(binding).toExtension());
        }
        if (ems) {
            extensions.add(new ExtendedMasterSecretExtension().toExtension());
        }
        if (serverName != null && previous == null) {
            // RFC 6066 §3: the server acknowledges a name it used with an empty server_name extension
            extensions.add(ServerNameExtension.acknowledgement());
        }
        if (alpn != null) {
            extensions.add(new AlpnExtension(List.of(alpn)).toExtension());
        }
        if (suite.keyExchange().isEcdhe() && hello.extension(ExtensionType.EC_POINT_FORMATS).isPresent()) {
            // RFC 8422 §5.2: uncompressed only
            extensions.add(new EcPointFormatsExtension(new byte[] {0}).toExtension());
        }
        if (issueTicket) {
            // RFC 5077 §3.2: an empty SessionTicket extension announces a NewSessionTicket
            extensions.add(new SessionTicketExtension(Bytes.EMPTY).toExtension());
        }
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, serverRandom, sessionId, suite.id(), 0,
                extensions);

        boolean requestCertificate = config.clientAuth() != ClientAuth.NONE;
        List<SignatureScheme> requested = Signatures.DEFAULT_PREFERENCE;

        Negotiated n = new Negotiated(hello.legacyVersion(), hello.random(), serverRandom, sessionId, suite.id(), ems,
                secureRenegotiation, serverName, alpn, clientSchemes, requested, requestCertificate, List.of(),
                null, null, previous, message.encode(), issueTicket);

        n = n.append(context.send(SeedStep.SERVER_HELLO, serverHello));
        n = n.append(context.send(SeedStep.SERVER_HELLO, new Certificate12(Certificates.encode(identity.chain()))));
        if (suite.keyExchange().isEcdhe()) {
            n = sendServerKeyExchange(context, n, group, identity);
        }
        if (requestCertificate) {
            List<byte[]> authorities = new ArrayList<>();
            for (X509Certificate anchor : config.trustAnchors()) {
                authorities.add(anchor.getSubjectX500Principal().getEncoded());
            }
            // rsa_sign(1) and ecdsa_sign(64): the key types we can verify (RFC 5246 §7.4.4, RFC 8422 §5.5)
            n = n.append(context.send(SeedStep.SERVER_HELLO,
                    new CertificateRequest12(new byte[] {1, 64}, requested, authorities)));
        }
        n = n.append(context.send(SeedStep.SERVER_HELLO, new ServerHelloDone()));
        return requestCertificate ? new ExpectClientCertificate(n) : new ExpectClientKeyExchange(n);
    }

    /** Seals the session into a ticket and sends it (RFC 5077 §3.3); returns the message for the transcript. */
    private static byte[] sendNewSessionTicket(HandshakeContext context, TicketContents session) {
        TlsConfig config = context.config();
        // RFC 5077 §3.3: having announced a ticket, a server that cannot issue one sends an empty ticket
        byte[] ticket = TicketSealer.seal(context.crypto(), config.ticketKeys().current().orElseThrow(), session)
                .orElse(Bytes.EMPTY);
        return context.send(SeedStep.SERVER_FINISHED, new NewSessionTicket12(config.ticketLifetimeSeconds(), ticket));
    }

    /**
     * The session the ClientHello asks to resume, from its SessionTicket (RFC 5077 §3.4) or else its session id (RFC
     * 5246 §7.4.1.2), if it can be resumed here: TLS 1.2, a suite the client offers and we enable, the extended master
     * secret in both the session and this ClientHello (RFC 7627 §5.3), within its lifetime, for the same server name.
     * Otherwise null, and the handshake is a full one: a bad ticket or an unknown id is never an error.
     */
    private static TicketContents findResumableSession(HandshakeContext context, ClientHello hello, boolean ems,
                                                       String serverName) {
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        byte[] ticket = hello.extension(ExtensionType.SESSION_TICKET)
                .map(e -> SessionTicketExtension.decode(e.data()).ticket()).orElse(Bytes.EMPTY);
        TicketContents session = null;
        String source = null;
        if (ticket.length > 0 && !config.ticketKeys().isEmpty()) {
            session = TicketSealer.open(crypto, config.ticketKeys(), ticket).orElse(null);
            source = "session ticket";
        }
        // RFC 5077 §3.4: with a ticket presented, the session id is not used for stateful resumption, even when the
        // ticket does not open (it is then only what the client echoes to spot a resumption)
        if (session == null && source == null && hello.sessionId().length > 0 && config.sessionCache() != null) {
            session = config.sessionCache().lookup(hello.sessionId()).orElse(null);
            source = "session id";
        }
        if (session == null) {
            if (ticket.length > 0 || hello.sessionId().length > 0) {
                context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "resumption",
                        "offered session unknown (or ticket does not open): full handshake"));
            }
            return null;
        }
        long age = crypto.now().toEpochMilli() - session.createdAtMillis();
        String refusal = null;
        if (!session.version().equals(ProtocolVersion.TLS1_2) || CipherSuites.require(session.cipherSuite()).isTls13()) {
            refusal = "session is not a TLS 1.2 session";
        } else if (!hello.offers(session.cipherSuite()) || !config.enabledSuites().contains(session.cipherSuite())) {
            refusal = "session's cipher suite is no longer offered or enabled";
        } else if (!session.extendedMasterSecret() || !ems) {
            // RFC 7627 §5.3: a session without it is not resumed; a ClientHello without it for a session with it
            // gets a full handshake
            refusal = "extended master secret missing";
        } else if (age < 0 || age >= session.lifetimeSeconds() * 1000) {
            refusal = "session expired";
            if (source.equals("session id")) {
                // dropping an expired entry is safe even if this transition fails later: it can never resume again
                config.sessionCache().remove(hello.sessionId());
            }
        } else if (!java.util.Objects.equals(session.serverName(), serverName)) {
            refusal = "session was established for another server name";
        } else {
            // RFC 5077 §3.4, RFC 5246 §7.4.1.2: resumption only within the context that established the session; it
            // stays in the cache, which may be shared with the configuration it belongs to
            refusal = config.resumptionContext().refusal(crypto, config.clientAuth(), session);
        }
        if (refusal != null) {
            context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "resumption", refusal + ": full handshake"));
            return null;
        }
        context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "resumption", "resuming by " + source));
        return session;
    }

    /**
     * The abbreviated handshake (RFC 5246 §7.3, RFC 5077 §3.1): ServerHello echoing the client's session id,
     * [NewSessionTicket], then our ChangeCipherSpec and Finished first; the master secret is the session's and only
     * the key block is new. No certificate is sent or asked for.
     */
    private static HandshakeState resumeSession(HandshakeContext context, HandshakeFrame message, ClientHello hello,
                                                TicketContents session, boolean secureRenegotiation, String alpn) {
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        CipherSuite suite = CipherSuites.require(session.cipherSuite());
        byte[] serverRandom = new byte[32];
        crypto.randomBytes(serverRandom);
        if (config.supportsTls13()) {
            byte[] sentinel = ServerHello.downgradeSentinelTls12();
            System.arraycopy(sentinel, 0, serverRandom, 24, sentinel.length);
        }
        boolean issueTicket = !config.ticketKeys().isEmpty() && hello.extension(ExtensionType.SESSION_TICKET).isPresent();
        List<Extension> extensions = new ArrayList<>();
        if (secureRenegotiation) {
            extensions.add(new RenegotiationInfoExtension(Bytes.EMPTY).toExtension());
        }
        extensions.add(new ExtendedMasterSecretExtension().toExtension());
        if (alpn != null) {
            extensions.add(new AlpnExtension(List.of(alpn)).toExtension());
        }
        if (issueTicket) {
            extensions.add(new SessionTicketExtension(Bytes.EMPTY).toExtension());
        }
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, serverRandom, hello.sessionId(), suite.id(), 0,
                extensions);
        Negotiated n = new Negotiated(hello.legacyVersion(), hello.random(), serverRandom, hello.sessionId(), suite.id(),
                true, secureRenegotiation, session.serverName(), alpn, List.of(), List.of(), false, List.of(), null, null,
                null, message.encode(), issueTicket);
        n = n.append(context.send(SeedStep.SERVER_HELLO, serverHello));
        Secret master = session.secret();
        if (issueTicket) {
            // a fresh ticket for the same session (same creation time, so resuming cannot extend its life)
            n = n.append(sendNewSessionTicket(context, session));
        }
        Tls12TrafficKeys keys = Tls12TrafficKeys.derive(crypto, suite, master, n.clientRandom(), n.serverRandom());
        revealKeys(context, keys);
        context.sendChangeCipherSpec(SeedStep.SERVER_FINISHED);
        context.changeWriteProtection(SeedStep.SERVER_FINISHED, keys.serverWrite(), suite.name());
        byte[] serverVerifyData = Tls12KeySchedule.verifyData(crypto, suite.prfHash(), master, false,
                n.transcriptHash(crypto));
        if (config.injects(Fault.TAMPER_FINISHED)) {
            serverVerifyData = Fault.corrupt(serverVerifyData);
        }
        n = n.append(context.send(SeedStep.SERVER_FINISHED, new Finished(serverVerifyData)));
        return new ExpectResumedChangeCipherSpec(n, master, keys, serverVerifyData, session.peerCertificates());
    }

    /** Seed step 8 of an abbreviated handshake: the client switches to the new keys after our Finished. */
    private record ExpectResumedChangeCipherSpec(Negotiated negotiated, Secret masterSecret, Tls12TrafficKeys keys,
                                                 byte[] serverVerifyData, List<byte[]> peerCertificates)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            throw unexpected(message.type().name());
        }

        @Override
        public HandshakeState onChangeCipherSpec(HandshakeContext context) {
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(SeedStep.CLIENT_FINISHED));
            context.changeReadProtection(SeedStep.CLIENT_FINISHED, keys.clientWrite(), negotiated.cipherSuite().name());
            return new ExpectResumedFinished(negotiated, masterSecret, serverVerifyData, peerCertificates);
        }
    }

    /**
     * Seed step 8 of an abbreviated handshake: the client's Finished ends it. The peer certificates are the session's:
     * who the client proved to be when the session was established.
     */
    private record ExpectResumedFinished(Negotiated negotiated, Secret masterSecret, byte[] serverVerifyData,
                                         List<byte[]> peerCertificates)
            implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_FINISHED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.FINISHED);
            Finished finished = Finished.decode(message.body());
            context.received(SeedStep.CLIENT_FINISHED, finished, message);
            CryptoProvider crypto = context.crypto();
            Negotiated n = negotiated;
            byte[] expected = Tls12KeySchedule.verifyData(crypto, n.suite().prfHash(), masterSecret, true,
                    n.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());
            SessionInfo session = new SessionInfo(ProtocolVersion.TLS1_2, n.cipherSuite(), null, masterSecret, true,
                    n.clientRandom(), n.serverRandom(), n.sessionId(), finished.verifyData(), serverVerifyData,
                    n.secureRenegotiation(), peerCertificates, n.applicationProtocol(), n.serverName(), true);
            context.established(session);
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_2,
                    n.cipherSuite(), null, true, true, false, n.applicationProtocol(), n.serverName(),
                    describeChain(crypto, peerCertificates)));
            return Established.after(verified, session);
        }
    }

    /**
     * RFC 8422 §5.4: our ephemeral share, signed with the certificate's key over both randoms and the parameters,
     * with a scheme the client listed in signature_algorithms.
     */
    private static Negotiated sendServerKeyExchange(HandshakeContext context, Negotiated n, NamedGroup group,
                                                    Identity identity) {
        CryptoProvider crypto = context.crypto();
        KeyShare share = KeyAgreementGroups.generate(crypto, group);
        context.secret(SeedStep.SERVER_HELLO, "server_ecdhe_private_key", share.privateKey());
        SignatureScheme scheme = Signatures.choose(n.clientSignatureAlgorithms(), Signatures.DEFAULT_PREFERENCE,
                identity.leaf().getPublicKey(), ProtocolVersion.TLS1_2).orElseThrow(() ->
                new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no signature scheme in common"));
        ServerKeyExchangeEcdhe unsigned = new ServerKeyExchangeEcdhe(group, share.publicKey(), scheme, Bytes.EMPTY);
        byte[] signature = Signatures.sign(crypto, scheme, identity.privateKey(),
                Bytes.concat(n.clientRandom(), n.serverRandom(), unsigned.signedParams()));
        if (context.config().injects(Fault.TAMPER_SERVER_KEY_EXCHANGE)) {
            signature = Fault.corrupt(signature);
        }
        ServerKeyExchangeEcdhe signed = new ServerKeyExchangeEcdhe(group, share.publicKey(), scheme, signature);
        Negotiated withShare = new Negotiated(n.clientVersion(), n.clientRandom(), n.serverRandom(), n.sessionId(),
                n.cipherSuite(), n.extendedMasterSecret(), n.secureRenegotiation(), n.serverName(),
                n.applicationProtocol(), n.clientSignatureAlgorithms(), n.requestedSignatureAlgorithms(),
                n.clientCertificateRequested(), n.clientCertificates(), group, share, n.previous(), n.transcript(),
                n.issueTicket());
        return withShare.append(context.send(SeedStep.SERVER_HELLO, signed));
    }

    /**
     * RFC 8422 §5.1.1: the first of our groups the client supports; a client that sends no supported_groups is
     * assumed to support secp256r1. Null when there is none in common: then no ECDHE suite can be chosen.
     */
    private static NamedGroup chooseGroup(ClientHello hello) {
        Optional<Extension> formats = hello.extension(ExtensionType.EC_POINT_FORMATS);
        if (formats.isPresent() && !containsNullCompression(EcPointFormatsExtension.decode(formats.get().data()).formats())) {
            // RFC 8422 §5.1.2: uncompressed (0) must be in the list
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "ec_point_formats without uncompressed");
        }
        Optional<Extension> groups = hello.extension(ExtensionType.SUPPORTED_GROUPS);
        if (groups.isEmpty()) {
            return NamedGroup.SECP256R1;
        }
        List<NamedGroup> offered = SupportedGroupsExtension.decode(groups.get().data()).groups();
        for (NamedGroup group : KeyAgreementGroups.SUPPORTED) {
            if (offered.contains(group)) {
                return group;
            }
        }
        return null;
    }

    /**
     * RFC 5746 §3.6 and §3.7: on the first handshake the client signals support by the SCSV or an empty
     * renegotiation_info; on a renegotiation it must send renegotiation_info carrying the previous client
     * verify_data, and never the SCSV. Returns whether the connection has secure renegotiation.
     */
    private static boolean checkRenegotiationInfo(ClientHello hello, SessionInfo previous) {
        boolean scsv = hello.offers(CipherSuiteId.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        Optional<Extension> extension = hello.extension(ExtensionType.RENEGOTIATION_INFO);
        Optional<byte[]> binding = extension.map(e -> RenegotiationInfoExtension.decode(e.data()).renegotiatedConnection());
        if (previous == null) {
            if (binding.isPresent() && binding.get().length != 0) {
                throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "non-empty renegotiation_info on the first handshake");
            }
            return scsv || binding.isPresent();
        }
        if (scsv) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "renegotiation SCSV in a renegotiating ClientHello");
        }
        if (binding.isEmpty() || !Bytes.constantTimeEquals(binding.get(), previous.clientVerifyData())) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "renegotiation_info does not bind the previous handshake");
        }
        return true;
    }

    static String chooseApplicationProtocol(ClientHello hello, TlsConfig config) {
        Optional<Extension> extension = hello.extension(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION);
        if (extension.isEmpty() || config.applicationProtocols().isEmpty()) {
            return null;
        }
        List<String> offered = AlpnExtension.decode(extension.get().data()).protocols();
        for (String ours : config.applicationProtocols()) {
            if (offered.contains(ours)) {
                return ours;
            }
        }
        // RFC 7301 §3.2
        throw new TlsAlertException(AlertDescription.NO_APPLICATION_PROTOCOL, "no common application protocol");
    }

    /** Server preference (RFC 5246 §7.4.1.3 lets the server choose): the first of our suites the client offers. */
    private static CipherSuite chooseSuite(ClientHello hello, TlsConfig config, NamedGroup group,
                                           List<SignatureScheme> clientSchemes) {
        for (CipherSuiteId id : config.enabledSuites()) {
            CipherSuite suite = CipherSuites.require(id);
            if (suite.isTls13() || !hello.offers(id) || (suite.keyExchange().isEcdhe() && group == null)) {
                continue;
            }
            Optional<Identity> identity = findIdentity(config, suite);
            if (identity.isEmpty()) {
                continue;
            }
            if (suite.keyExchange().isEcdhe() && Signatures.choose(clientSchemes, Signatures.DEFAULT_PREFERENCE,
                    identity.get().leaf().getPublicKey(), ProtocolVersion.TLS1_2).isEmpty()) {
                continue;
            }
            return suite;
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no cipher suite in common");
    }

    static Identity identityFor(TlsConfig config, CipherSuite suite) {
        return findIdentity(config, suite).orElseThrow(() ->
                new TlsAlertException(AlertDescription.INTERNAL_ERROR, "no certificate for " + suite));
    }

    private static Optional<Identity> findIdentity(TlsConfig config, CipherSuite suite) {
        String keyType = suite.keyExchange() == KeyExchange.ECDHE_ECDSA ? "EC" : "RSA";
        return config.identities().stream().filter(i -> i.keyAlgorithm().equals(keyType)).findFirst();
    }

    private static boolean containsNullCompression(byte[] methods) {
        for (byte method : methods) {
            if (method == 0) {
                return true;
            }
        }
        return false;
    }

    private static void revealKeys(HandshakeContext context, Tls12TrafficKeys keys) {
        if (!context.config().revealSecrets()) {
            return;
        }
        context.secret(SeedStep.SESSION_KEYS, "client_write_key", keys.clientWrite().key());
        context.secret(SeedStep.SESSION_KEYS, "server_write_key", keys.serverWrite().key());
        if (keys.clientWrite().macKey() != null && keys.clientWrite().macKey().length() > 0) {
            context.secret(SeedStep.SESSION_KEYS, "client_write_mac_key", keys.clientWrite().macKey());
            context.secret(SeedStep.SESSION_KEYS, "server_write_mac_key", keys.serverWrite().macKey());
        }
        if (keys.clientWrite().fixedIv() != null && keys.clientWrite().fixedIv().length > 0) {
            context.secret(SeedStep.SESSION_KEYS, "client_write_iv", new Secret(keys.clientWrite().fixedIv()));
            context.secret(SeedStep.SESSION_KEYS, "server_write_iv", new Secret(keys.serverWrite().fixedIv()));
        }
    }

    static List<java.util.Map<String, Object>> describeChain(CryptoProvider crypto, List<byte[]> chain) {
        List<java.util.Map<String, Object>> described = new ArrayList<>();
        for (byte[] der : chain) {
            dev.handshake.tls.cert.CertificateSummary summary = CertificateValidation.summarize(crypto, der);
            described.add(summary == null ? java.util.Map.of("undecodable", true) : summary.describe());
        }
        return described;
    }

}
