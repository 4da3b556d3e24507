package dev.handshake.tls.server;

import dev.handshake.tls.Certificates;
import dev.handshake.tls.PeerAuthentication;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.EstablishedState;
import dev.handshake.tls.Fault;
import dev.handshake.tls.FinishedVerified;
import dev.handshake.tls.HandshakeContext;
import dev.handshake.tls.HandshakeState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.Tls13KeyUpdate;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.SuspendedDigest;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.keyschedule.Tls13KeySchedule;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.EarlySecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.HandshakeSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.MasterSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.TrafficSecret;
import dev.handshake.tls.message.Certificate13;
import dev.handshake.tls.message.CertificateEntry;
import dev.handshake.tls.message.CertificateRequest13;
import dev.handshake.tls.message.CertificateVerify;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.EncryptedExtensions;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.Finished;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.NewSessionTicket13;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.PreSharedKeyClientHello;
import dev.handshake.tls.message.extension.PreSharedKeyServerHello;
import dev.handshake.tls.message.extension.PskIdentity;
import dev.handshake.tls.message.extension.PskKeyExchangeModesExtension;
import dev.handshake.tls.resumption.PskStore;
import dev.handshake.tls.resumption.TicketContents;
import dev.handshake.tls.resumption.TicketSealer;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareEntry;
import dev.handshake.tls.message.extension.KeyShareHelloRetryRequest;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.message.extension.SupportedVersionsServer;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.PrfHash;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS 1.3 server (RFC 8446 §2, §4), seed steps 1-11 from the server's side:
 * <pre>
 *   ClientHello --no usable key share--> HelloRetryRequest [CCS] --> ExpectSecondClientHello --ClientHello--> ...
 *   ClientHello --> ServerHello [CCS] {EncryptedExtensions [CertificateRequest] Certificate CertificateVerify
 *                   Finished} --> ExpectClientCertificate (client auth) or ExpectClientFinished
 *   ExpectClientCertificate --Certificate--> ExpectClientCertificateVerify (a chain was sent) or ExpectClientFinished
 *   ExpectClientCertificateVerify --CertificateVerify--> ExpectClientFinished --Finished--> Established
 *   Established --KeyUpdate--> Established (step 11: TLS 1.3 has no renegotiation)
 *   Established --requestClientCertificate: CertificateRequest--> {@link Tls13ServerPostHandshakeAuth} --> Established
 * </pre>
 * The version was chosen by {@link ServerHandshake}. The states are private records, but for {@link Established},
 * which post-handshake authentication returns to; it can only be built from a {@link FinishedVerified} (or from
 * itself). Until the client's Finished, an unprotected middlebox-compatibility
 * ChangeCipherSpec is dropped (RFC 8446 §5, Appendix D.4).
 */
public final class Tls13ServerHandshake {

    private Tls13ServerHandshake() {
    }

    /** What the handshake has settled; {@code transcript} is every handshake message so far, with headers. */
    record Negotiated(
            byte[] clientRandom,
            byte[] serverRandom,
            byte[] sessionId,
            CipherSuiteId cipherSuite,
            NamedGroup group,
            String serverName,
            String applicationProtocol,
            List<SignatureScheme> requestedSignatureAlgorithms,
            List<byte[]> clientCertificates,
            byte[] serverVerifyData,
            byte[] transcript,
            boolean resumed,
            int earlyDataSkip,
            boolean postHandshakeAuthOffered) {

        CipherSuite suite() {
            return CipherSuites.require(cipherSuite);
        }

        PrfHash hash() {
            return suite().prfHash();
        }

        byte[] transcriptHash(CryptoProvider crypto) {
            return Tls13KeySchedule.transcriptHash(crypto, hash(), transcript);
        }

        Negotiated append(byte[] message) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, group, serverName,
                    applicationProtocol, requestedSignatureAlgorithms, clientCertificates, serverVerifyData,
                    Bytes.concat(transcript, message), resumed, earlyDataSkip,
                    postHandshakeAuthOffered);
        }

        Negotiated skipped(int bytes) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, group, serverName,
                    applicationProtocol, requestedSignatureAlgorithms, clientCertificates, serverVerifyData, transcript,
                    resumed, Math.max(0, earlyDataSkip - bytes), postHandshakeAuthOffered);
        }

        Negotiated withClientCertificates(List<byte[]> chain) {
            // a record that decrypted ends the skipping of rejected 0-RTT data (RFC 8446 §4.2.10)
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, group, serverName,
                    applicationProtocol, requestedSignatureAlgorithms, chain, serverVerifyData, transcript, resumed,
                    0, postHandshakeAuthOffered);
        }
    }

    /** The secrets the server still needs after its first flight. */
    record Secrets(TrafficSecret clientHandshake, MasterSecret master, TrafficSecret clientApplication,
                   TrafficSecret serverApplication) {
    }

    /** What a HelloRetryRequest fixed, for checking the second ClientHello (RFC 8446 §4.1.2, §4.1.4). */
    record Retry(CipherSuiteId cipherSuite, NamedGroup group, byte[] cookie, byte[] firstClientHello,
                 byte[] transcript, boolean changeCipherSpecSent, int earlyDataSkip) {
    }

    /**
     * RFC 8446 §4.2.10: we never accept 0-RTT, so a client that sent early data has records we cannot decrypt (or,
     * after HelloRetryRequest, plaintext-framed application data) in flight: they are skipped, up to this many bytes,
     * which bounds the work a peer can make us do for nothing.
     */
    public static final int MAX_SKIPPED_EARLY_DATA = 1 << 16;

    /**
     * RFC 8446 §4.2.11: the client's obfuscated ticket age must agree with our view of the ticket's age within this
     * many milliseconds (OpenSSL's allowance); otherwise the ticket is not used and the handshake is a full one.
     */
    public static final long TICKET_AGE_TOLERANCE_MILLIS = 10_000;

    /** How many offered PSK identities we try to open: each costs an AES-GCM open (bounds work per ClientHello). */
    public static final int MAX_PSK_IDENTITIES_TRIED = 8;

    /** A ticket we accept: which identity, what it holds, and the early secret its PSK starts the schedule with. */
    record AcceptedPsk(int index, TicketContents contents, EarlySecret earlySecret) {
    }

    /** A handshake state before the client's Finished: a middlebox-compatibility CCS is dropped here. */
    private interface Handshaking extends HandshakeState {
        @Override
        default HandshakeState onChangeCipherSpec(HandshakeContext context) {
            // RFC 8446 §5: an unprotected change_cipher_spec before the peer's Finished is simply dropped
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(step()));
            return this;
        }
    }

    /** Seed step 1 again: the ClientHello after our HelloRetryRequest. */
    private record ExpectSecondClientHello(Retry retry) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_HELLO;
        }

        @Override
        public int earlyDataSkipBudget() {
            return retry.earlyDataSkip();
        }

        @Override
        public HandshakeState earlyDataSkipped(int bytes) {
            Retry r = retry;
            return new ExpectSecondClientHello(new Retry(r.cipherSuite(), r.group(), r.cookie(), r.firstClientHello(),
                    r.transcript(), r.changeCipherSpecSent(), Math.max(0, r.earlyDataSkip() - bytes)));
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CLIENT_HELLO);
            return process(context, message, retry);
        }
    }

    /** Seed step 5: the client's Certificate, after our CertificateRequest. */
    private record ExpectClientCertificate(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public int earlyDataSkipBudget() {
            return negotiated.earlyDataSkip();
        }

        @Override
        public HandshakeState earlyDataSkipped(int bytes) {
            return new ExpectClientCertificate(negotiated.skipped(bytes), secrets);
        }

        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_AUTHENTICATION_SIGNED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE);
            Certificate13 certificate = Certificate13.decode(message.body());
            context.received(SeedStep.CLIENT_AUTHENTICATION_SIGNED, certificate, message);
            if (certificate.requestContext().length != 0) {
                // RFC 8446 §4.4.2: in the handshake the context is the empty one we sent
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "certificate_request_context is not ours");
            }
            List<byte[]> chain = certificate.entries().stream().map(CertificateEntry::certificate).toList();
            TlsConfig config = context.config();
            Negotiated n = negotiated.withClientCertificates(chain).append(message.encode());
            if (chain.isEmpty()) {
                if (config.clientAuth() == ClientAuth.REQUIRED) {
                    // RFC 8446 §4.4.2.4: a server that requires a certificate may abort with certificate_required
                    throw new TlsAlertException(AlertDescription.CERTIFICATE_REQUIRED, "client certificate required, none sent");
                }
                context.event(new HandshakeEvent.PeerCertificateChecked(SeedStep.MASTER_SECRET, false, "NONE",
                        "client sent no certificate; client authentication is optional", null));
                return new ExpectClientFinished(n, secrets);
            }
            PeerAuthentication.requireTrustedChain(context, chain, SeedStep.MASTER_SECRET);
            return new ExpectClientCertificateVerify(n, secrets);
        }
    }

    /** Seed steps 5 and 6: the client signs the transcript with its certificate's key; we check it. */
    private record ExpectClientCertificateVerify(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_AUTHENTICATION_SIGNED;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE_VERIFY);
            CertificateVerify verify = CertificateVerify.decode(message.body());
            context.received(SeedStep.CLIENT_AUTHENTICATION_SIGNED, verify, message);
            PeerAuthentication.verifyTls13Signature(context, verify, negotiated.clientCertificates().get(0),
                    negotiated.requestedSignatureAlgorithms(), negotiated.transcriptHash(context.crypto()),
                    SeedStep.MASTER_SECRET);
            return new ExpectClientFinished(negotiated.append(message.encode()), secrets);
        }
    }

    /** What our CertificateRequest asks for, in the handshake and after it (RFC 8446 §4.3.2). */
    static CertificateRequest13 certificateRequest(byte[] requestContext, List<SignatureScheme> requested) {
        // RFC 8446 §4.2.3: signature_algorithms for CertificateVerify, signature_algorithms_cert for the chain
        // (certificates are still signed with rsa_pkcs1; peers such as SunJSSE withhold a chain it does not list)
        return new CertificateRequest13(requestContext, List.of(new SignatureAlgorithmsExtension(requested).toExtension(),
                new SignatureAlgorithmsExtension(Signatures.DEFAULT_PREFERENCE).toCertExtension()));
    }

    /** Seed step 8: the client's Finished under its handshake traffic key. */
    private record ExpectClientFinished(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public int earlyDataSkipBudget() {
            return negotiated.earlyDataSkip();
        }

        @Override
        public HandshakeState earlyDataSkipped(int bytes) {
            return new ExpectClientFinished(negotiated.skipped(bytes), secrets);
        }

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
            byte[] expected = secrets.clientHandshake().finishedVerifyData(crypto, negotiated.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());

            Negotiated n = negotiated.append(message.encode());
            CipherSuite suite = n.suite();
            Secret resumption = secrets.master().resumptionMasterSecret(crypto, n.transcriptHash(crypto));
            context.secret(SeedStep.SESSION_KEYS, "resumption_master_secret", resumption);
            context.changeReadProtection(SeedStep.SESSION_KEYS, secrets.clientApplication().protection(crypto, suite),
                    suite.name() + " client application traffic");
            // the TLS 1.3 key schedule binds the whole transcript, as the extended master secret does in TLS 1.2
            SessionInfo session = new SessionInfo(ProtocolVersion.TLS1_3, n.cipherSuite(), n.group(), resumption, true,
                    n.clientRandom(), n.serverRandom(), n.sessionId(), finished.verifyData(), n.serverVerifyData(),
                    false, n.clientCertificates(), n.applicationProtocol(), n.serverName(), n.resumed());
            context.established(session);
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_3,
                    n.cipherSuite(), n.group(), true, n.resumed(), false, n.applicationProtocol(), n.serverName(),
                    Tls12ServerHandshake.describeChain(crypto, n.clientCertificates())));
            sendNewSessionTicket(context, n, resumption);
            return Established.after(verified, n.cipherSuite(), secrets.clientApplication(),
                    secrets.serverApplication(), session, n.postHandshakeAuthOffered()
                            ? SuspendedDigest.suspend(suite.prfHash(), n.transcript()) : Bytes.EMPTY);
        }
    }

    /**
     * Seed steps 10 and 11: application data; KeyUpdate in either direction; post-handshake authentication when the
     * client offered it. {@code handshakeDigest} is the transcript hash over ClientHello through the client's
     * Finished, suspended ({@link SuspendedDigest}), kept only for post-handshake authentication (RFC 8446 §4.4: its
     * Handshake Context starts there); empty when the client did not offer post_handshake_auth. Suspended rather than
     * kept as the messages themselves, which grew every stored session of such a client by 3 KB and more.
     */
    record Established(CipherSuiteId cipherSuite, TrafficSecret read, TrafficSecret write, SessionInfo session,
                       byte[] handshakeDigest) implements EstablishedState {

        static Established after(FinishedVerified verified, CipherSuiteId suite, TrafficSecret read,
                                 TrafficSecret write, SessionInfo session, byte[] handshakeDigest) {
            java.util.Objects.requireNonNull(verified, "Finished must be verified before traffic");
            return new Established(suite, read, write, session, handshakeDigest);
        }

        @Override
        public SeedStep step() {
            return SeedStep.APPLICATION_DATA;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            return keyUpdated(context, message);
        }

        /** The peer's KeyUpdate, the only message it may send us unasked. */
        Established keyUpdated(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.KEY_UPDATE);
            Tls13KeyUpdate.Secrets next = Tls13KeyUpdate.receive(context, message, CipherSuites.require(cipherSuite),
                    read, write);
            return new Established(cipherSuite, next.read(), next.write(), session, handshakeDigest);
        }

        /** TLS 1.3 has no renegotiation: seed step 11 is KeyUpdate(update_requested) (RFC 8446 §4.6.3). */
        @Override
        public Established renegotiate(HandshakeContext context) {
            TrafficSecret next = Tls13KeyUpdate.send(context, CipherSuites.require(cipherSuite), write, true);
            return new Established(cipherSuite, read, next, session, handshakeDigest);
        }

        @Override
        public HandshakeState requestClientCertificate(HandshakeContext context, ClientAuth mode) {
            return Tls13ServerPostHandshakeAuth.request(context, this, mode);
        }

        Established withSession(SessionInfo next) {
            return new Established(cipherSuite, read, write, next, handshakeDigest);
        }

        boolean postHandshakeAuthOffered() {
            return handshakeDigest.length > 0;
        }
    }

    /**
     * Seed step 10: one NewSessionTicket after the client's Finished (RFC 8446 §4.6.1), when ticket keys are
     * configured. The ticket seals the PSK for nonce 0 with what resumption must check; it has no early_data
     * extension, so a well-behaved client never sends us 0-RTT.
     */
    private static void sendNewSessionTicket(HandshakeContext context, Negotiated n, Secret resumptionMasterSecret) {
        TlsConfig config = context.config();
        Optional<TicketKeys.Key> key = config.ticketKeys().current();
        if (key.isEmpty()) {
            return;
        }
        CryptoProvider crypto = context.crypto();
        byte[] nonce = {0};
        Secret psk = Tls13KeySchedule.resumptionPsk(crypto, n.hash(), resumptionMasterSecret, nonce);
        context.secret(SeedStep.APPLICATION_DATA, "resumption_psk", psk);
        long ageAdd = TicketSealer.randomUint32(crypto);
        // a resumed session's client certificates came from its ticket, so they pass on to the next ticket
        TicketContents contents = new TicketContents(ProtocolVersion.TLS1_3, n.cipherSuite(), psk, true,
                crypto.now().toEpochMilli(), ageAdd, config.ticketLifetimeSeconds(), n.serverName(),
                n.applicationProtocol(), n.clientCertificates(), config.resumptionContext().id(crypto));
        Optional<byte[]> ticket = TicketSealer.seal(crypto, key.get(), contents);
        if (ticket.isEmpty()) {
            context.event(new HandshakeEvent.ValueComputed(SeedStep.APPLICATION_DATA, "new_session_ticket",
                    "not issued: the client's certificate chain does not fit in a ticket"));
            return;
        }
        context.send(SeedStep.APPLICATION_DATA, new NewSessionTicket13(config.ticketLifetimeSeconds(), ageAdd, nonce,
                ticket.get(), List.of()));
    }

    /**
     * RFC 8446 §4.2.11: the first offered ticket we can open, of TLS 1.3, with our suite's hash, within its lifetime,
     * with a plausible obfuscated age, the same server name and our resumption context (and a client certificate when
     * we require one), if the client allows psk_dhe_ke. Anything else means a full handshake, never a failure; but the
     * binder of the ticket we pick must verify, or the handshake fails with decrypt_error (§4.2.11.2).
     */
    private static AcceptedPsk choosePsk(HandshakeContext context, HandshakeFrame message, ClientHello hello,
                                         Retry retry, CipherSuite suite, String serverName) {
        Optional<Extension> extension = hello.extension(ExtensionType.PRE_SHARED_KEY);
        if (extension.isEmpty()) {
            return null;
        }
        List<Extension> extensions = hello.extensions();
        if (!extensions.get(extensions.size() - 1).type().equals(ExtensionType.PRE_SHARED_KEY)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "pre_shared_key is not the last extension");
        }
        PskKeyExchangeModesExtension modes = hello.extension(ExtensionType.PSK_KEY_EXCHANGE_MODES)
                .map(e -> PskKeyExchangeModesExtension.decode(e.data()))
                // RFC 8446 §4.2.9: a client offering pre_shared_key must send psk_key_exchange_modes
                .orElseThrow(() -> missing("psk_key_exchange_modes beside pre_shared_key"));
        PreSharedKeyClientHello offered = PreSharedKeyClientHello.decode(extension.get().data());
        Optional<PskStore> psks = context.config().psks();
        if (!modes.offers(PskKeyExchangeModesExtension.PSK_DHE_KE) || psks.isEmpty()) {
            return null; // we resume only with a fresh (EC)DHE exchange: forward secrecy for resumed sessions
        }
        CryptoProvider crypto = context.crypto();
        long now = crypto.now().toEpochMilli();
        int tried = Math.min(offered.identities().size(), MAX_PSK_IDENTITIES_TRIED);
        for (int i = 0; i < tried; i++) {
            PskIdentity identity = offered.identities().get(i);
            Optional<TicketContents> opened = psks.get().resolve(crypto, identity.identity());
            String reason = null;
            TicketContents contents = opened.orElse(null);
            long age = contents == null ? 0 : now - contents.createdAtMillis();
            if (contents == null) {
                reason = "unknown PSK identity (a ticket not sealed with our keys, tampered, or not ours)";
            } else if (!contents.version().equals(ProtocolVersion.TLS1_3)
                    || !CipherSuites.require(contents.cipherSuite()).isTls13()
                    || CipherSuites.require(contents.cipherSuite()).prfHash() != suite.prfHash()) {
                reason = "ticket is for another version or hash";
            } else if (age < 0 || age >= contents.lifetimeSeconds() * 1000) {
                reason = "ticket expired";
            } else if (Math.abs(((identity.obfuscatedTicketAge() - contents.ageAdd()) & 0xffffffffL) - age)
                    > TICKET_AGE_TOLERANCE_MILLIS) {
                reason = "obfuscated ticket age does not match the ticket's age";
            } else if (!java.util.Objects.equals(contents.serverName(), serverName)) {
                reason = "ticket was issued for another server name";
            } else {
                // RFC 8446 §4.2.11: a server may skip a PSK it cannot use; one from another context would skip the
                // authentication this configuration asks for (a client certificate, other trust anchors)
                reason = context.config().resumptionContext().refusal(crypto, context.config().clientAuth(), contents);
            }
            if (reason != null) {
                context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "psk_identity_" + i + "_ignored",
                        reason));
                continue;
            }
            PrfHash hash = suite.prfHash();
            EarlySecret early = EarlySecret.of(crypto, hash, contents.secret());
            context.secret(SeedStep.MASTER_SECRET, "early_secret", early.secret());
            Secret binderKey = early.binderKey(crypto, false);
            context.secret(SeedStep.CLIENT_HELLO, "binder_key", binderKey);
            byte[] prefix = retry == null ? Bytes.EMPTY : retry.transcript();
            byte[] truncated = Bytes.concat(prefix, PreSharedKeyClientHello.truncateBinders(message.encode()));
            byte[] expected = Tls13KeySchedule.binder(crypto, hash, binderKey, truncated);
            if (!Bytes.constantTimeEquals(expected, offered.binders().get(i))) {
                throw new TlsAlertException(AlertDescription.DECRYPT_ERROR, "PSK binder does not verify");
            }
            context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "psk_binder",
                    "binder of PSK identity " + i + " verified: resuming with psk_dhe_ke"));
            return new AcceptedPsk(i, contents, early);
        }
        return null;
    }

    /** Seed steps 1 and 2: a ClientHello offering TLS 1.3, chosen by {@link ServerHandshake}. */
    static HandshakeState processClientHello(HandshakeContext context, HandshakeFrame message) {
        return process(context, message, null);
    }

    private static HandshakeState process(HandshakeContext context, HandshakeFrame message, Retry retry) {
        ClientHello hello = ClientHello.decode(message.body());
        context.received(SeedStep.CLIENT_HELLO, hello, message);
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        if (retry != null) {
            checkSecondClientHello(ClientHello.decode(HandshakeFrame.parse(retry.firstClientHello()).body()), hello, retry);
        }
        if (hello.compressionMethods().length != 1 || hello.compressionMethods()[0] != 0) {
            // RFC 8446 §4.1.2: exactly the null method
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "TLS 1.3 ClientHello with compression");
        }
        CipherSuite suite = retry != null ? CipherSuites.require(retry.cipherSuite()) : chooseSuite(hello, config);
        List<SignatureScheme> clientSchemes = hello.extension(ExtensionType.SIGNATURE_ALGORITHMS)
                .map(e -> SignatureAlgorithmsExtension.decode(e.data()).schemes())
                .orElseThrow(() -> missing("signature_algorithms"));
        Identity identity = null;
        SignatureScheme scheme = null;
        for (Identity candidate : config.identities()) {
            Optional<SignatureScheme> chosen = Signatures.choose(clientSchemes, Signatures.DEFAULT_PREFERENCE,
                    candidate.leaf().getPublicKey(), ProtocolVersion.TLS1_3);
            if (chosen.isPresent()) {
                identity = candidate;
                scheme = chosen.get();
                break;
            }
        }
        List<NamedGroup> clientGroups = hello.extension(ExtensionType.SUPPORTED_GROUPS)
                .map(e -> SupportedGroupsExtension.decode(e.data()).groups()).orElseThrow(() -> missing("supported_groups"));
        KeyShareClientHello shares = hello.extension(ExtensionType.KEY_SHARE)
                .map(e -> KeyShareClientHello.decode(e.data())).orElseThrow(() -> missing("key_share"));
        for (KeyShareEntry share : shares.shares()) {
            if (!clientGroups.contains(share.group())) {
                // RFC 8446 §4.2.8: each share must be for a group in supported_groups
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "key share for " + share.group().name() + ", which supported_groups does not list");
            }
        }

        NamedGroup group;
        if (retry != null) {
            // RFC 8446 §4.2.8: after HelloRetryRequest exactly one share, for the group we selected
            if (shares.shares().size() != 1 || !shares.shares().get(0).group().equals(retry.group())) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "second ClientHello does not carry one share for " + retry.group().name());
            }
            group = retry.group();
        } else {
            // our preference among the shares the client sent; HelloRetryRequest only when none fits
            group = config.groups().stream().filter(g -> shares.shareFor(g).isPresent()).findFirst().orElse(null);
            if (group == null) {
                NamedGroup retryGroup = config.groups().stream().filter(clientGroups::contains).findFirst()
                        .orElseThrow(() -> new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no group in common"));
                return sendHelloRetryRequest(context, message, hello, suite, retryGroup);
            }
        }
        String serverName = hello.extension(ExtensionType.SERVER_NAME)
                .map(e -> ServerNameExtension.decode(e.data()).hostNames())
                .filter(names -> !names.isEmpty()).map(names -> names.get(0)).orElse(null);
        AcceptedPsk psk = choosePsk(context, message, hello, retry, suite, serverName);
        if (psk == null && identity == null) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no certificate and signature scheme in common");
        }
        // 0-RTT is never accepted: a client that sent early data gets no early_data in EncryptedExtensions and its
        // early records are skipped (RFC 8446 §4.2.10)
        int earlyDataSkip = hello.extension(ExtensionType.EARLY_DATA).isPresent() ? MAX_SKIPPED_EARLY_DATA : 0;

        // seed step 4 in TLS 1.3 terms: the client's share came in ClientHello; the shared secret replaces the
        // pre-master; an invalid share is illegal_parameter (RFC 8446 §4.2.8.2). For a KEM group we encapsulate.
        KeyAgreementGroups.Response serverShare = KeyAgreementGroups.respond(crypto, group,
                shares.shareFor(group).orElseThrow().keyExchange());
        context.secret(SeedStep.SERVER_HELLO, "server_ephemeral_private_key", serverShare.privateKey());
        Secret shared = serverShare.sharedSecret();
        context.secret(SeedStep.PRE_MASTER_SECRET, "ecdhe_shared_secret", shared);

        String alpn = Tls12ServerHandshake.chooseApplicationProtocol(hello, config);
        byte[] serverRandom = new byte[32];
        crypto.randomBytes(serverRandom);
        // RFC 8446 §4.3.2: no certificate-based client authentication in a PSK handshake
        boolean requestCertificate = config.clientAuth() != ClientAuth.NONE && psk == null;
        List<SignatureScheme> requested = tls13Schemes();
        byte[] transcript = retry == null ? message.encode() : Bytes.concat(retry.transcript(), message.encode());
        Negotiated n = new Negotiated(hello.random(), serverRandom, hello.sessionId(), suite.id(), group, serverName,
                alpn, requested, psk == null ? List.of() : psk.contents().peerCertificates(), Bytes.EMPTY, transcript,
                psk != null, earlyDataSkip,
                offersPostHandshakeAuth(hello));

        // pre_shared_key, key_share, supported_versions: the order of RFC 8448 §4, so that trace replays exactly
        List<Extension> serverHelloExtensions = new ArrayList<>();
        if (psk != null) {
            serverHelloExtensions.add(new PreSharedKeyServerHello(psk.index()).toExtension());
        }
        serverHelloExtensions.add(new KeyShareServerHello(new KeyShareEntry(group, serverShare.publicKey())).toExtension());
        serverHelloExtensions.add(new SupportedVersionsServer(ProtocolVersion.TLS1_3).toExtension());
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, serverRandom, hello.sessionId(), suite.id(), 0,
                serverHelloExtensions);
        n = n.append(context.send(SeedStep.SERVER_HELLO, serverHello));
        if (hello.sessionId().length > 0 && (retry == null || !retry.changeCipherSpecSent())) {
            // RFC 8446 Appendix D.4: a client in compatibility mode (non-empty session id) gets a CCS after our
            // first handshake message
            context.sendChangeCipherSpec(SeedStep.SERVER_HELLO);
        }

        PrfHash hash = suite.prfHash();
        EarlySecret early = psk != null ? psk.earlySecret() : EarlySecret.of(crypto, hash, null);
        HandshakeSecret handshakeSecret = early.handshakeSecret(crypto, shared);
        context.secret(SeedStep.MASTER_SECRET, "handshake_secret", handshakeSecret.secret());
        byte[] helloHash = n.transcriptHash(crypto);
        TrafficSecret clientHandshake = handshakeSecret.clientHandshakeTrafficSecret(crypto, helloHash);
        TrafficSecret serverHandshake = handshakeSecret.serverHandshakeTrafficSecret(crypto, helloHash);
        context.secret(SeedStep.SESSION_KEYS, "client_handshake_traffic_secret", clientHandshake.secret());
        context.secret(SeedStep.SESSION_KEYS, "server_handshake_traffic_secret", serverHandshake.secret());
        context.changeWriteProtection(SeedStep.SESSION_KEYS, serverHandshake.protection(crypto, suite),
                suite.name() + " server handshake traffic");

        List<Extension> encrypted = new ArrayList<>();
        if (serverName != null) {
            // RFC 6066 §3: the server acknowledges a name it used with an empty server_name (in EncryptedExtensions)
            encrypted.add(ServerNameExtension.acknowledgement());
        }
        if (alpn != null) {
            encrypted.add(new AlpnExtension(List.of(alpn)).toExtension());
        }
        n = n.append(context.send(SeedStep.SERVER_HELLO, new EncryptedExtensions(encrypted)));
        if (requestCertificate) {
            n = n.append(context.send(SeedStep.SERVER_HELLO, certificateRequest(Bytes.EMPTY, requested)));
        }
        if (psk == null) {
            // a resumed handshake authenticates through the PSK: no Certificate, no CertificateVerify (§2.2)
            List<CertificateEntry> entries = new ArrayList<>();
            for (byte[] der : Certificates.encode(identity.chain())) {
                entries.add(new CertificateEntry(der, List.of()));
            }
            n = n.append(context.send(SeedStep.SERVER_HELLO, new Certificate13(Bytes.EMPTY, entries)));
            byte[] signature = Signatures.sign(crypto, scheme, identity.privateKey(),
                    Tls13KeySchedule.certificateVerifyContent(true, n.transcriptHash(crypto)));
            if (config.injects(Fault.TAMPER_CERTIFICATE_VERIFY)) {
                signature = Fault.corrupt(signature);
            }
            n = n.append(context.send(SeedStep.SERVER_HELLO, new CertificateVerify(scheme, signature)));
        }

        byte[] verifyData = serverHandshake.finishedVerifyData(crypto, n.transcriptHash(crypto));
        if (config.injects(Fault.TAMPER_FINISHED)) {
            verifyData = Fault.corrupt(verifyData);
        }
        n = n.append(context.send(SeedStep.SERVER_FINISHED, new Finished(verifyData)));
        n = new Negotiated(n.clientRandom(), n.serverRandom(), n.sessionId(), n.cipherSuite(), n.group(),
                n.serverName(), n.applicationProtocol(), n.requestedSignatureAlgorithms(), n.clientCertificates(),
                verifyData, n.transcript(), n.resumed(), n.earlyDataSkip(),
                n.postHandshakeAuthOffered());

        MasterSecret master = handshakeSecret.masterSecret(crypto);
        context.secret(SeedStep.MASTER_SECRET, "master_secret", master.secret());
        byte[] finishedHash = n.transcriptHash(crypto);
        TrafficSecret clientApplication = master.clientApplicationTrafficSecret(crypto, finishedHash);
        TrafficSecret serverApplication = master.serverApplicationTrafficSecret(crypto, finishedHash);
        context.secret(SeedStep.SESSION_KEYS, "client_application_traffic_secret_0", clientApplication.secret());
        context.secret(SeedStep.SESSION_KEYS, "server_application_traffic_secret_0", serverApplication.secret());
        context.secret(SeedStep.SESSION_KEYS, "exporter_master_secret", master.exporterMasterSecret(crypto, finishedHash));
        context.changeWriteProtection(SeedStep.SESSION_KEYS, serverApplication.protection(crypto, suite),
                suite.name() + " server application traffic");
        context.changeReadProtection(SeedStep.SESSION_KEYS, clientHandshake.protection(crypto, suite),
                suite.name() + " client handshake traffic");
        Secrets secrets = new Secrets(clientHandshake, master, clientApplication, serverApplication);
        return requestCertificate ? new ExpectClientCertificate(n, secrets) : new ExpectClientFinished(n, secrets);
    }

    /**
     * RFC 8446 §4.1.4: no share fits, so we name the group we want, with a cookie the second ClientHello must echo.
     * ClientHello1 enters the transcript as its message_hash (§4.4.1).
     */
    private static HandshakeState sendHelloRetryRequest(HandshakeContext context, HandshakeFrame message,
                                                        ClientHello hello, CipherSuite suite, NamedGroup group) {
        CryptoProvider crypto = context.crypto();
        byte[] cookie = new byte[32];
        crypto.randomBytes(cookie);
        ServerHello retryRequest = new ServerHello(ProtocolVersion.TLS1_2, ServerHello.helloRetryRequestRandom(),
                hello.sessionId(), suite.id(), 0,
                List.of(new SupportedVersionsServer(ProtocolVersion.TLS1_3).toExtension(),
                        new KeyShareHelloRetryRequest(group).toExtension(),
                        new CookieExtension(cookie).toExtension()));
        byte[] transcript = Bytes.concat(Tls13KeySchedule.messageHash(crypto, suite.prfHash(), message.encode()),
                context.send(SeedStep.SERVER_HELLO, retryRequest));
        boolean changeCipherSpec = hello.sessionId().length > 0;
        if (changeCipherSpec) {
            context.sendChangeCipherSpec(SeedStep.SERVER_HELLO);
        }
        // early data the client sent after ClientHello1 arrives as application_data records before ClientHello2
        int earlyDataSkip = hello.extension(ExtensionType.EARLY_DATA).isPresent() ? MAX_SKIPPED_EARLY_DATA : 0;
        return new ExpectSecondClientHello(new Retry(suite.id(), group, cookie, message.encode(), transcript,
                changeCipherSpec, earlyDataSkip));
    }

    /**
     * RFC 8446 §4.1.2: the second ClientHello repeats the first except that key_share holds the one share asked
     * for, early_data is gone, the cookie is added, and pre_shared_key and padding may change. Anything else is an
     * attack or a broken client: illegal_parameter.
     */
    private static void checkSecondClientHello(ClientHello first, ClientHello second, Retry retry) {
        if (!first.legacyVersion().equals(second.legacyVersion()) || !Arrays.equals(first.random(), second.random())
                || !Arrays.equals(first.sessionId(), second.sessionId())
                || !first.cipherSuites().equals(second.cipherSuites())
                || !Arrays.equals(first.compressionMethods(), second.compressionMethods())) {
            throw changed("its fixed fields");
        }
        byte[] cookie = second.extension(ExtensionType.COOKIE).map(e -> CookieExtension.decode(e.data()).cookie())
                .orElseThrow(() -> changed("the cookie (missing)"));
        if (!Bytes.constantTimeEquals(cookie, retry.cookie())) {
            throw changed("the cookie");
        }
        if (second.extension(ExtensionType.EARLY_DATA).isPresent()) {
            throw changed("early_data (still present)");
        }
        Set<ExtensionType> mayChange = Set.of(ExtensionType.KEY_SHARE, ExtensionType.EARLY_DATA, ExtensionType.COOKIE,
                ExtensionType.PRE_SHARED_KEY, ExtensionType.PADDING);
        List<Extension> before = first.extensions().stream().filter(e -> !mayChange.contains(e.type())).toList();
        List<Extension> after = second.extensions().stream().filter(e -> !mayChange.contains(e.type())).toList();
        if (!before.equals(after)) {
            throw changed("its extensions");
        }
    }

    private static TlsAlertException changed(String what) {
        return new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                "second ClientHello changed " + what + " after HelloRetryRequest");
    }

    /** Server preference: the first of our TLS 1.3 suites the client offers. */
    private static CipherSuite chooseSuite(ClientHello hello, TlsConfig config) {
        for (CipherSuiteId id : config.enabledSuites()) {
            CipherSuite suite = CipherSuites.require(id);
            if (suite.isTls13() && hello.offers(id)) {
                return suite;
            }
        }
        throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE, "no TLS 1.3 cipher suite in common");
    }

    /** What CertificateVerify may use in TLS 1.3: our preference without rsa_pkcs1 (RFC 8446 §4.2.3). */
    public static List<SignatureScheme> tls13Schemes() {
        Set<SignatureScheme> pkcs1 = Set.of(SignatureScheme.RSA_PKCS1_SHA1, SignatureScheme.RSA_PKCS1_SHA256,
                SignatureScheme.RSA_PKCS1_SHA384, SignatureScheme.RSA_PKCS1_SHA512);
        return Signatures.DEFAULT_PREFERENCE.stream().filter(s -> !pkcs1.contains(s)).toList();
    }

    /** RFC 8446 §4.2.6: the client's empty post_handshake_auth extension; anything in it is decode_error. */
    private static boolean offersPostHandshakeAuth(ClientHello hello) {
        Optional<Extension> extension = hello.extension(ExtensionType.POST_HANDSHAKE_AUTH);
        if (extension.isPresent() && extension.get().data().length != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "post_handshake_auth extension is not empty");
        }
        return extension.isPresent();
    }

    private static TlsAlertException missing(String extension) {
        // RFC 8446 §9.2: a TLS 1.3 ClientHello without these is missing_extension
        return new TlsAlertException(AlertDescription.MISSING_EXTENSION, "ClientHello has no " + extension);
    }

}
