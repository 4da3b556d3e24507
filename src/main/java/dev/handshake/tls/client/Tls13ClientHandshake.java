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
import dev.handshake.tls.Tls13KeyUpdate;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.cert.CertificateSummary;
import dev.handshake.tls.cert.CertificateValidation;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.SuspendedDigest;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.KeyShare;
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
import dev.handshake.tls.message.NewSessionTicket13;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.EarlyDataExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareEntry;
import dev.handshake.tls.message.extension.KeyShareHelloRetryRequest;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.PreSharedKeyClientHello;
import dev.handshake.tls.message.extension.PreSharedKeyServerHello;
import dev.handshake.tls.message.extension.PskIdentity;
import dev.handshake.tls.message.extension.PskKeyExchangeModesExtension;
import dev.handshake.tls.message.extension.RenegotiationInfoExtension;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.message.extension.SupportedVersionsClient;
import dev.handshake.tls.message.extension.SupportedVersionsServer;
import dev.handshake.tls.server.Tls13ServerHandshake;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The TLS 1.3 client (RFC 8446 §2, §4), seed steps 1-11 from the client's side. One ClientHello offers TLS 1.3 (and
 * TLS 1.2 when enabled); a ServerHello choosing 1.2 goes, after the downgrade-sentinel check, to
 * {@link Tls12ClientHandshake}.
 * <pre>
 *   start --ClientHello--> ExpectServerHello --HelloRetryRequest / [CCS] ClientHello--> ExpectServerHello
 *   ExpectServerHello --ServerHello--> ExpectEncryptedExtensions --> ExpectCertificate (CertificateRequest may come
 *   first) --(step 3: chain and name)--> ExpectCertificateVerify --> ExpectFinished --[CCS] [Certificate
 *   CertificateVerify] Finished--> Established --KeyUpdate--> Established (step 11)
 *   Established --CertificateRequest / Certificate CertificateVerify Finished--> Established (step 11:
 *   post-handshake authentication, when we offered post_handshake_auth)
 * </pre>
 */
public final class Tls13ClientHandshake {

    private Tls13ClientHandshake() {
    }

    /**
     * What our ClientHello offered. {@code shares} are our ephemeral key pairs (private keys kept as PKCS#8 until
     * the ServerHello arrives); {@code clientHello} is its encoding, which a TLS 1.2 ServerHello's transcript starts
     * from and a HelloRetryRequest's message_hash replaces.
     */
    record Offer(byte[] clientRandom, byte[] sessionId, List<CipherSuiteId> offered13, List<CipherSuiteId> offered12,
                 List<KeyShare> shares, boolean offeredAlpn, byte[] clientHello, CipherSuiteId retrySuite,
                 boolean changeCipherSpecSent, byte[] transcript, ResumptionTicket psk, ResumptionTicket session12) {

        boolean retried() {
            return retrySuite != null;
        }
    }

    /** What the handshake has settled since ServerHello. */
    record Negotiated(byte[] clientRandom, byte[] serverRandom, byte[] sessionId, CipherSuiteId cipherSuite,
                      NamedGroup group, String applicationProtocol, List<byte[]> serverCertificates,
                      CertificateRequest13 certificateRequest, byte[] transcript, boolean resumed) {

        CipherSuite suite() {
            return CipherSuites.require(cipherSuite);
        }

        byte[] transcriptHash(CryptoProvider crypto) {
            return Tls13KeySchedule.transcriptHash(crypto, suite().prfHash(), transcript);
        }

        Negotiated append(byte[] message) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, group, applicationProtocol,
                    serverCertificates, certificateRequest, Bytes.concat(transcript, message), resumed);
        }

        Negotiated with(String alpn, List<byte[]> chain, CertificateRequest13 request) {
            return new Negotiated(clientRandom, serverRandom, sessionId, cipherSuite, group, alpn, chain, request,
                    transcript, resumed);
        }
    }

    record Secrets(HandshakeSecret handshake, TrafficSecret clientHandshake, TrafficSecret serverHandshake) {
    }

    /** A state before the server's Finished: a middlebox-compatibility CCS is dropped (RFC 8446 §5). */
    private interface Handshaking extends HandshakeState {
        @Override
        default HandshakeState onChangeCipherSpec(HandshakeContext context) {
            context.event(new HandshakeEvent.ChangeCipherSpecReceived(step()));
            return this;
        }
    }

    /** Seed step 1: sends a ClientHello offering TLS 1.3 (and 1.2 when enabled) with key shares. */
    public static HandshakeState start(HandshakeContext context) {
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        byte[] random = new byte[32];
        crypto.randomBytes(random);
        // RFC 8446 Appendix D.4: a non-empty legacy_session_id puts us in middlebox-compatibility mode
        byte[] sessionId = new byte[32];
        crypto.randomBytes(sessionId);
        List<CipherSuiteId> suites13 = new ArrayList<>();
        List<CipherSuiteId> suites12 = new ArrayList<>();
        for (CipherSuiteId id : config.enabledSuites()) {
            (CipherSuites.require(id).isTls13() ? suites13 : suites12).add(id);
        }
        if (!config.supportsTls12()) {
            suites12.clear();
        }
        // a share for our first group, and for secp256r1 when configured: the two groups servers choose most
        List<NamedGroup> shareGroups = new ArrayList<>(List.of(config.groups().get(0)));
        if (config.groups().contains(NamedGroup.SECP256R1) && !shareGroups.contains(NamedGroup.SECP256R1)) {
            shareGroups.add(NamedGroup.SECP256R1);
        }
        List<KeyShare> shares = new ArrayList<>();
        for (NamedGroup group : shareGroups) {
            KeyShare share = KeyAgreementGroups.generate(crypto, group);
            context.secret(SeedStep.CLIENT_HELLO, "client_ephemeral_private_key_" + group.name(), share.privateKey());
            shares.add(share);
        }
        List<CipherSuiteId> offered = new ArrayList<>(suites13);
        offered.addAll(suites12);

        List<Extension> extensions = new ArrayList<>();
        if (config.serverName() != null && !Tls12ClientHandshake.isIpLiteral(config.serverName())) {
            extensions.add(new ServerNameExtension(List.of(config.serverName())).toExtension());
        }
        extensions.add(new SupportedGroupsExtension(config.groups()).toExtension());
        extensions.add(new SignatureAlgorithmsExtension(Tls12ClientHandshake.offeredSignatureSchemes()).toExtension());
        boolean alpn = !config.applicationProtocols().isEmpty();
        if (alpn) {
            extensions.add(new AlpnExtension(config.applicationProtocols()).toExtension());
        }
        List<ProtocolVersion> versions = new ArrayList<>(List.of(ProtocolVersion.TLS1_3));
        ResumptionTicket session12 = null;
        if (!suites12.isEmpty()) {
            versions.add(ProtocolVersion.TLS1_2);
            extensions.add(new EcPointFormatsExtension(new byte[] {0}).toExtension());
            extensions.add(new ExtendedMasterSecretExtension().toExtension());
            extensions.add(new RenegotiationInfoExtension(Bytes.EMPTY).toExtension());
            // a TLS 1.2 session to resume travels in legacy_session_id / SessionTicket (RFC 8446 §4.1.2 allows a
            // pre-TLS 1.3 session id there); otherwise the empty SessionTicket asks a 1.2 server for a ticket
            session12 = Tls12ClientHandshake.resumable12(context, suites12);
            if (session12 != null) {
                sessionId = Tls12ClientHandshake.sessionIdFor(context, session12);
            }
            extensions.add(new SessionTicketExtension(session12 == null ? Bytes.EMPTY : session12.ticket()).toExtension());
        }
        extensions.add(new SupportedVersionsClient(versions).toExtension());
        extensions.add(keyShareExtension(shares));
        // RFC 8446 §4.2.9: always, since a server sends no NewSessionTicket to a client without it; psk_dhe_ke only
        // (a fresh key exchange keeps resumed sessions forward-secret)
        extensions.add(new PskKeyExchangeModesExtension(new byte[] {PskKeyExchangeModesExtension.PSK_DHE_KE})
                .toExtension());
        if (config.postHandshakeAuth()) {
            // RFC 8446 §4.2.6: empty; lets the server ask for our certificate after the handshake
            extensions.add(new Extension(ExtensionType.POST_HANDSHAKE_AUTH, Bytes.EMPTY));
        }
        if (config.injects(Fault.OFFER_EARLY_DATA)) {
            extensions.add(new EarlyDataExtension().toExtension());
        }
        ResumptionTicket psk = resumable(context, suites13);
        ClientHello hello = new ClientHello(ProtocolVersion.TLS1_2, random, sessionId, offered, new byte[] {0}, extensions);
        if (psk != null) {
            hello = withPsk(context, hello, psk, Bytes.EMPTY);
        }
        byte[] encoded = context.send(SeedStep.CLIENT_HELLO, hello);
        return new ExpectServerHello(new Offer(random, sessionId, List.copyOf(suites13), List.copyOf(suites12),
                List.copyOf(shares), alpn, encoded, null, false, encoded, psk, session12));
    }

    /** The configured ticket, if it is a TLS 1.3 ticket we can still use with a suite we offer. */
    private static ResumptionTicket resumable(HandshakeContext context, List<CipherSuiteId> suites13) {
        ResumptionTicket ticket = context.config().resumption();
        if (ticket == null || !ticket.version().equals(ProtocolVersion.TLS1_3) || ticket.ticket().length == 0) {
            return null;
        }
        if (!ticket.isFresh(context.crypto().now().toEpochMilli())) {
            // RFC 8446 §4.6.1: a client must not use a ticket past its lifetime
            context.event(new HandshakeEvent.ValueComputed(SeedStep.CLIENT_HELLO, "resumption_ticket",
                    "ticket expired: not offered, full handshake"));
            return null;
        }
        PrfHash hash = CipherSuites.require(ticket.cipherSuite()).prfHash();
        if (suites13.stream().noneMatch(id -> CipherSuites.require(id).prfHash() == hash)) {
            return null; // §4.2.11: the PSK's hash must be that of the suite; we offer none with it
        }
        if (!java.util.Objects.equals(ticket.serverName(), context.config().serverName())) {
            return null; // §4.6.1: resume only with the server name the session was established for
        }
        return ticket;
    }

    /**
     * The ClientHello with pre_shared_key as its last extension (§4.2.11) and a binder over Truncate(ClientHello),
     * preceded in the transcript by {@code transcriptPrefix} (after HelloRetryRequest: message_hash and the HRR).
     */
    private static ClientHello withPsk(HandshakeContext context, ClientHello hello, ResumptionTicket ticket,
                                       byte[] transcriptPrefix) {
        CryptoProvider crypto = context.crypto();
        PrfHash hash = CipherSuites.require(ticket.cipherSuite()).prfHash();
        long age = context.crypto().now().toEpochMilli() - ticket.receivedAtMillis();
        PskIdentity identity = new PskIdentity(ticket.ticket(), (age + ticket.ageAdd()) & 0xffffffffL);
        List<Extension> extensions = new ArrayList<>();
        for (Extension extension : hello.extensions()) {
            if (!extension.type().equals(ExtensionType.PRE_SHARED_KEY)) {
                extensions.add(extension);
            }
        }
        List<Extension> placeholder = new ArrayList<>(extensions);
        placeholder.add(new PreSharedKeyClientHello(List.of(identity), List.of(new byte[hash.length()])).toExtension());
        ClientHello draft = new ClientHello(hello.legacyVersion(), hello.random(), hello.sessionId(),
                hello.cipherSuites(), hello.compressionMethods(), placeholder);
        EarlySecret early = EarlySecret.of(crypto, hash, ticket.secret());
        Secret binderKey = early.binderKey(crypto, false);
        context.secret(SeedStep.CLIENT_HELLO, "binder_key", binderKey);
        byte[] truncated = Bytes.concat(transcriptPrefix, PreSharedKeyClientHello.truncateBinders(draft.encode()));
        byte[] binder = Tls13KeySchedule.binder(crypto, hash, binderKey, truncated);
        if (context.config().injects(Fault.TAMPER_PSK_BINDER)) {
            binder = Fault.corrupt(binder);
        }
        extensions.add(new PreSharedKeyClientHello(List.of(identity), List.of(binder)).toExtension());
        return new ClientHello(hello.legacyVersion(), hello.random(), hello.sessionId(), hello.cipherSuites(),
                hello.compressionMethods(), extensions);
    }

    private static Extension keyShareExtension(List<KeyShare> shares) {
        List<KeyShareEntry> entries = new ArrayList<>();
        for (KeyShare share : shares) {
            entries.add(new KeyShareEntry(share.group(), share.publicKey()));
        }
        return new KeyShareClientHello(entries).toExtension();
    }

    /** Seed step 2: the server's choice of version, suite and group (or a HelloRetryRequest). */
    private record ExpectServerHello(Offer offer) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_HELLO;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.SERVER_HELLO);
            ServerHello hello = ServerHello.decode(message.body());
            Optional<ProtocolVersion> selected = hello.extension(ExtensionType.SUPPORTED_VERSIONS)
                    .map(e -> SupportedVersionsServer.decode(e.data()).selected());
            if (selected.isEmpty()) {
                return continueWithTls12(context, message, hello);
            }
            context.received(SeedStep.SERVER_HELLO, hello, message);
            if (!selected.get().equals(ProtocolVersion.TLS1_3) || offer.offered13().isEmpty()) {
                // RFC 8446 §4.2.1: a version we did not offer (or 1.2 through this extension)
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server selected " + selected.get());
            }
            if (!hello.legacyVersion().equals(ProtocolVersion.TLS1_2) || hello.compressionMethod() != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "TLS 1.3 ServerHello with legacy fields set");
            }
            if (!Arrays.equals(hello.sessionId(), offer.sessionId())) {
                // RFC 8446 §4.1.3: legacy_session_id_echo must echo ours
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "legacy_session_id_echo differs");
            }
            if (!offer.offered13().contains(hello.cipherSuite())) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "server chose a suite we did not offer: " + hello.cipherSuite());
            }
            if (hello.isHelloRetryRequest()) {
                return processHelloRetryRequest(context, message, hello, offer);
            }
            if (offer.retried() && !offer.retrySuite().equals(hello.cipherSuite())) {
                // RFC 8446 §4.1.4: the ServerHello must keep the suite of the HelloRetryRequest
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "suite changed after HelloRetryRequest");
            }
            for (Extension extension : hello.extensions()) {
                if (!extension.type().equals(ExtensionType.KEY_SHARE)
                        && !extension.type().equals(ExtensionType.SUPPORTED_VERSIONS)
                        && !(extension.type().equals(ExtensionType.PRE_SHARED_KEY) && offer.psk() != null)) {
                    // RFC 8446 §4.2: an extension we did not offer (pre_shared_key when we offered no PSK)
                    throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION,
                            "unsolicited extension in ServerHello: " + extension.type());
                }
            }
            KeyShareEntry serverShare = hello.extension(ExtensionType.KEY_SHARE)
                    .map(e -> KeyShareServerHello.decode(e.data()).share())
                    .orElseThrow(() -> new TlsAlertException(AlertDescription.MISSING_EXTENSION, "ServerHello has no key_share"));
            KeyShare ours = offer.shares().stream().filter(s -> s.group().equals(serverShare.group())).findFirst()
                    .orElseThrow(() -> new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                            "server key share for " + serverShare.group().name() + ", for which we sent no share"));
            CryptoProvider crypto = context.crypto();
            // seed step 4 in TLS 1.3 terms: our share went in ClientHello; the shared secret replaces the pre-master
            Secret shared = KeyAgreementGroups.agree(crypto, ours.group(), ours.privateKey(), serverShare.keyExchange());
            context.secret(SeedStep.PRE_MASTER_SECRET, "ecdhe_shared_secret", shared);

            CipherSuite suite = CipherSuites.require(hello.cipherSuite());
            PrfHash hash = suite.prfHash();
            Optional<Integer> selectedPsk = hello.extension(ExtensionType.PRE_SHARED_KEY)
                    .map(e -> PreSharedKeyServerHello.decode(e.data()).selectedIdentity());
            EarlySecret early = EarlySecret.of(crypto, hash, null);
            List<byte[]> resumedChain = List.of();
            if (selectedPsk.isPresent()) {
                ResumptionTicket ticket = offer.psk();
                if (selectedPsk.get() != 0 || CipherSuites.require(ticket.cipherSuite()).prfHash() != hash) {
                    // RFC 8446 §4.2.11: an identity we did not offer, or a suite whose hash is not the PSK's
                    throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                            "server selected PSK " + selectedPsk.get() + " that we cannot use with " + suite.name());
                }
                early = EarlySecret.of(crypto, hash, ticket.secret());
                resumedChain = ticket.peerCertificates();
                context.event(new HandshakeEvent.ValueComputed(SeedStep.SERVER_HELLO, "psk",
                        "server accepted our ticket: resumed handshake (psk_dhe_ke), no certificate this time"));
            }
            Negotiated n = new Negotiated(offer.clientRandom(), hello.random(), offer.sessionId(), suite.id(),
                    ours.group(), null, resumedChain, null, Bytes.concat(offer.transcript(), message.encode()),
                    selectedPsk.isPresent());
            HandshakeSecret handshake = early.handshakeSecret(crypto, shared);
            context.secret(SeedStep.MASTER_SECRET, "handshake_secret", handshake.secret());
            byte[] helloHash = n.transcriptHash(crypto);
            TrafficSecret clientHandshake = handshake.clientHandshakeTrafficSecret(crypto, helloHash);
            TrafficSecret serverHandshake = handshake.serverHandshakeTrafficSecret(crypto, helloHash);
            context.secret(SeedStep.SESSION_KEYS, "client_handshake_traffic_secret", clientHandshake.secret());
            context.secret(SeedStep.SESSION_KEYS, "server_handshake_traffic_secret", serverHandshake.secret());
            context.changeReadProtection(SeedStep.SESSION_KEYS, serverHandshake.protection(crypto, suite),
                    suite.name() + " server handshake traffic");
            if (!offer.changeCipherSpecSent() && offer.sessionId().length > 0) {
                // RFC 8446 Appendix D.4: compatibility mode, our CCS before anything we protect
                context.sendChangeCipherSpec(SeedStep.SESSION_KEYS);
            }
            // we write with the client handshake key from now on, so an alert we send about the server's flight
            // reaches a server that reads with that key (RFC 8446 §5: alerts go under the current keys)
            context.changeWriteProtection(SeedStep.SESSION_KEYS, clientHandshake.protection(crypto, suite),
                    suite.name() + " client handshake traffic");
            return new ExpectEncryptedExtensions(n, new Secrets(handshake, clientHandshake, serverHandshake));
        }

        /** The server chose TLS 1.2: refuse a downgrade it has flagged, then continue as the TLS 1.2 client. */
        private HandshakeState continueWithTls12(HandshakeContext context, HandshakeFrame message, ServerHello hello) {
            if (offer.retried()) {
                // a HelloRetryRequest is TLS 1.3 only: the second ServerHello must be TLS 1.3 as well
                context.received(SeedStep.SERVER_HELLO, hello, message);
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "TLS 1.2 ServerHello after HelloRetryRequest");
            }
            if (offer.offered12().isEmpty()) {
                context.received(SeedStep.SERVER_HELLO, hello, message);
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "server chose " + hello.legacyVersion()
                        + "; we offer only TLS 1.3");
            }
            if (!offer.offered13().isEmpty() && ServerHello.hasDowngradeSentinel(hello.random())) {
                // RFC 8446 §4.1.3: a TLS 1.3 server was pushed down to 1.2 between us: illegal_parameter
                context.received(SeedStep.SERVER_HELLO, hello, message);
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "TLS 1.2 ServerHello carries the TLS 1.3 downgrade sentinel");
            }
            return Tls12ClientHandshake.processServerHello(context, message, offer.clientRandom(), offer.offered12(),
                    offer.offeredAlpn(), offer.clientHello(), offer.session12(), offer.sessionId());
        }
    }

    /**
     * RFC 8446 §4.1.4: a HelloRetryRequest names the group it wants (and may carry a cookie); we answer with the
     * same ClientHello but for that one share and the cookie. ClientHello1 enters the transcript as message_hash.
     */
    private static HandshakeState processHelloRetryRequest(HandshakeContext context, HandshakeFrame message,
                                                           ServerHello retry, Offer offer) {
        if (offer.retried()) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "a second HelloRetryRequest");
        }
        for (Extension extension : retry.extensions()) {
            if (!extension.type().equals(ExtensionType.KEY_SHARE) && !extension.type().equals(ExtensionType.COOKIE)
                    && !extension.type().equals(ExtensionType.SUPPORTED_VERSIONS)) {
                throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION,
                        "unsolicited extension in HelloRetryRequest: " + extension.type());
            }
        }
        TlsConfig config = context.config();
        CryptoProvider crypto = context.crypto();
        Optional<NamedGroup> selected = retry.extension(ExtensionType.KEY_SHARE)
                .map(e -> KeyShareHelloRetryRequest.decode(e.data()).selectedGroup());
        Optional<byte[]> cookie = retry.extension(ExtensionType.COOKIE).map(e -> CookieExtension.decode(e.data()).cookie());
        if (selected.isEmpty() && cookie.isEmpty()) {
            // RFC 8446 §4.1.4: a HelloRetryRequest that would not change the ClientHello
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "HelloRetryRequest asks for no change");
        }
        List<KeyShare> shares = offer.shares();
        if (selected.isPresent()) {
            NamedGroup group = selected.get();
            if (!config.groups().contains(group) || shares.stream().anyMatch(s -> s.group().equals(group))) {
                // RFC 8446 §4.2.8: a group we did not offer, or one we already sent a share for
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                        "HelloRetryRequest selects " + group.name());
            }
            KeyShare share = KeyAgreementGroups.generate(crypto, group);
            context.secret(SeedStep.CLIENT_HELLO, "client_ephemeral_private_key_" + group.name(), share.privateKey());
            shares = List.of(share);
        }
        ClientHello first = ClientHello.decode(HandshakeFrame.parse(offer.clientHello()).body());
        List<Extension> extensions = new ArrayList<>();
        for (Extension extension : first.extensions()) {
            if (extension.type().equals(ExtensionType.EARLY_DATA)) {
                continue; // RFC 8446 §4.1.2: early_data is removed after HelloRetryRequest
            }
            extensions.add(extension.type().equals(ExtensionType.KEY_SHARE) ? keyShareExtension(shares) : extension);
        }
        // pre_shared_key stays last (§4.2.11): the cookie goes before it, and its binder is computed anew below
        extensions.removeIf(e -> e.type().equals(ExtensionType.PRE_SHARED_KEY));
        cookie.ifPresent(c -> extensions.add(new CookieExtension(c).toExtension()));
        ClientHello second = new ClientHello(first.legacyVersion(), first.random(), first.sessionId(),
                first.cipherSuites(), first.compressionMethods(), extensions);

        CipherSuite suite = CipherSuites.require(retry.cipherSuite());
        byte[] transcript = Bytes.concat(Tls13KeySchedule.messageHash(crypto, suite.prfHash(), offer.clientHello()),
                message.encode());
        ResumptionTicket psk = offer.psk();
        if (psk != null && CipherSuites.require(psk.cipherSuite()).prfHash() != suite.prfHash()) {
            psk = null; // §4.1.4: a PSK whose hash differs from the selected suite's is dropped from ClientHello2
        }
        if (psk != null) {
            second = withPsk(context, second, psk, transcript);
        }
        boolean changeCipherSpec = offer.sessionId().length > 0;
        if (changeCipherSpec) {
            // RFC 8446 Appendix D.4: in compatibility mode our CCS goes before our second flight, here ClientHello2
            context.sendChangeCipherSpec(SeedStep.CLIENT_HELLO);
        }
        byte[] encoded = context.send(SeedStep.CLIENT_HELLO, second);
        return new ExpectServerHello(new Offer(offer.clientRandom(), offer.sessionId(), offer.offered13(), List.of(),
                shares, offer.offeredAlpn(), encoded, suite.id(), changeCipherSpec, Bytes.concat(transcript, encoded),
                psk, null));
    }

    /** Seed step 2: the first message under the server's handshake keys. */
    private record ExpectEncryptedExtensions(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_HELLO;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.ENCRYPTED_EXTENSIONS);
            EncryptedExtensions encrypted = EncryptedExtensions.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, encrypted, message);
            TlsConfig config = context.config();
            String alpn = null;
            for (Extension extension : encrypted.extensions()) {
                ExtensionType type = extension.type();
                if (type.equals(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION)
                        && !config.applicationProtocols().isEmpty()) {
                    List<String> protocols = AlpnExtension.decode(extension.data()).protocols();
                    if (protocols.size() != 1 || !config.applicationProtocols().contains(protocols.get(0))) {
                        throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                                "server selected an ALPN protocol we did not offer");
                    }
                    alpn = protocols.get(0);
                } else if (type.equals(ExtensionType.SERVER_NAME) && config.serverName() != null) {
                    if (!ServerNameExtension.isAcknowledgement(extension)) {
                        throw new TlsAlertException(AlertDescription.DECODE_ERROR, "server_name acknowledgement not empty");
                    }
                } else if (!type.equals(ExtensionType.SUPPORTED_GROUPS)) {
                    // RFC 8446 §4.2: only what we offered may come back
                    throw new TlsAlertException(AlertDescription.UNSUPPORTED_EXTENSION,
                            "unsolicited extension in EncryptedExtensions: " + type);
                }
            }
            Negotiated n = negotiated.with(alpn, negotiated.serverCertificates(), null).append(message.encode());
            if (n.resumed()) {
                // RFC 8446 §2.2: the PSK authenticates the server; Finished comes next
                return new ExpectFinished(n, secrets);
            }
            return new ExpectCertificate(n, secrets);
        }
    }

    /** Seed steps 2 and 3: an optional CertificateRequest, then the server's chain, checked at once. */
    private record ExpectCertificate(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_AUTHENTICATION;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (message.type().equals(HandshakeType.CERTIFICATE_REQUEST) && negotiated.certificateRequest() == null) {
                CertificateRequest13 request = CertificateRequest13.decode(message.body());
                context.received(SeedStep.SERVER_HELLO, request, message);
                if (request.extension(ExtensionType.SIGNATURE_ALGORITHMS).isEmpty()) {
                    // RFC 8446 §4.3.2: signature_algorithms must be present
                    throw new TlsAlertException(AlertDescription.MISSING_EXTENSION, "CertificateRequest without signature_algorithms");
                }
                return new ExpectCertificate(negotiated.with(negotiated.applicationProtocol(), List.of(), request)
                        .append(message.encode()), secrets);
            }
            require(message, HandshakeType.CERTIFICATE);
            Certificate13 certificate = Certificate13.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, certificate, message);
            if (certificate.requestContext().length != 0) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "server Certificate with a request context");
            }
            List<byte[]> chain = certificate.entries().stream().map(CertificateEntry::certificate).toList();
            if (chain.isEmpty()) {
                // RFC 8446 §4.4.2.4
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "server sent an empty Certificate");
            }
            PeerAuthentication.requireTrustedChain(context, chain, SeedStep.SERVER_AUTHENTICATION);
            return new ExpectCertificateVerify(negotiated.with(negotiated.applicationProtocol(), chain,
                    negotiated.certificateRequest()).append(message.encode()), secrets);
        }
    }

    /** Seed step 3: the server proves it holds the certificate's key by signing the transcript. */
    private record ExpectCertificateVerify(Negotiated negotiated, Secrets secrets) implements Handshaking {
        @Override
        public SeedStep step() {
            return SeedStep.SERVER_AUTHENTICATION;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            require(message, HandshakeType.CERTIFICATE_VERIFY);
            CertificateVerify verify = CertificateVerify.decode(message.body());
            context.received(SeedStep.SERVER_HELLO, verify, message);
            // RFC 8446 §4.4.3: a scheme we offered, allowed in TLS 1.3, fitting the certificate's key
            PeerAuthentication.verifyTls13Signature(context, verify, negotiated.serverCertificates().get(0),
                    Tls13ServerHandshake.tls13Schemes(), negotiated.transcriptHash(context.crypto()),
                    SeedStep.SERVER_AUTHENTICATION);
            return new ExpectFinished(negotiated.append(message.encode()), secrets);
        }
    }

    /** Seed step 9 (which TLS 1.3 puts before 8): the server's Finished; then our flight. */
    private record ExpectFinished(Negotiated negotiated, Secrets secrets) implements Handshaking {
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
            TlsConfig config = context.config();
            byte[] expected = secrets.serverHandshake().finishedVerifyData(crypto, negotiated.transcriptHash(crypto));
            FinishedVerified verified = FinishedVerified.check(expected, finished.verifyData());
            Negotiated n = negotiated.append(message.encode());
            CipherSuite suite = n.suite();

            MasterSecret master = secrets.handshake().masterSecret(crypto);
            context.secret(SeedStep.MASTER_SECRET, "master_secret", master.secret());
            byte[] finishedHash = n.transcriptHash(crypto);
            TrafficSecret clientApplication = master.clientApplicationTrafficSecret(crypto, finishedHash);
            TrafficSecret serverApplication = master.serverApplicationTrafficSecret(crypto, finishedHash);
            context.secret(SeedStep.SESSION_KEYS, "client_application_traffic_secret_0", clientApplication.secret());
            context.secret(SeedStep.SESSION_KEYS, "server_application_traffic_secret_0", serverApplication.secret());
            context.secret(SeedStep.SESSION_KEYS, "exporter_master_secret", master.exporterMasterSecret(crypto, finishedHash));

            if (n.certificateRequest() != null) {
                byte[] transcript = n.transcript();
                n = n.append(sendClientCertificate(context, SeedStep.CLIENT_AUTHENTICATION_SIGNED,
                        n.certificateRequest(), certificate -> Tls13KeySchedule.transcriptHash(crypto, suite.prfHash(),
                                Bytes.concat(transcript, certificate))));
            }
            byte[] verifyData = secrets.clientHandshake().finishedVerifyData(crypto, n.transcriptHash(crypto));
            if (config.injects(Fault.TAMPER_FINISHED)) {
                verifyData = Fault.corrupt(verifyData);
            }
            n = n.append(context.send(SeedStep.CLIENT_FINISHED, new Finished(verifyData)));
            Secret resumption = master.resumptionMasterSecret(crypto, n.transcriptHash(crypto));
            context.secret(SeedStep.SESSION_KEYS, "resumption_master_secret", resumption);
            context.changeWriteProtection(SeedStep.SESSION_KEYS, clientApplication.protection(crypto, suite),
                    suite.name() + " client application traffic");
            context.changeReadProtection(SeedStep.SESSION_KEYS, serverApplication.protection(crypto, suite),
                    suite.name() + " server application traffic");

            SessionInfo session = new SessionInfo(ProtocolVersion.TLS1_3, n.cipherSuite(), n.group(), resumption, true,
                    n.clientRandom(), n.serverRandom(), n.sessionId(), verifyData, finished.verifyData(), false,
                    n.serverCertificates(), n.applicationProtocol(), config.serverName(), n.resumed());
            context.established(session);
            List<Map<String, Object>> chain = new ArrayList<>();
            for (byte[] der : n.serverCertificates()) {
                CertificateSummary summary = CertificateValidation.summarize(crypto, der);
                chain.add(summary == null ? Map.of("undecodable", true) : summary.describe());
            }
            context.event(new HandshakeEvent.HandshakeCompleted(SeedStep.APPLICATION_DATA, ProtocolVersion.TLS1_3,
                    n.cipherSuite(), n.group(), true, n.resumed(), false, n.applicationProtocol(), config.serverName(),
                    chain));
            // RFC 8446 §4.4: post-handshake authentication's Handshake Context starts with this transcript
            byte[] handshakeDigest = config.postHandshakeAuth()
                    ? SuspendedDigest.suspend(n.suite().prfHash(), n.transcript()) : Bytes.EMPTY;
            return Established.after(verified, n.cipherSuite(), serverApplication, clientApplication, session,
                    handshakeDigest);
        }
    }

    /**
     * Seed step 5 (or 11, after the handshake): our Certificate (empty when no identity fits {@code request}) and
     * CertificateVerify over the transcript so far plus that Certificate ({@code transcriptHashWith} the Certificate).
     * Returns what was sent, for the transcript.
     */
    private static byte[] sendClientCertificate(HandshakeContext context, SeedStep step, CertificateRequest13 request,
                                                UnaryOperator<byte[]> transcriptHashWith) {
        CryptoProvider crypto = context.crypto();
        List<SignatureScheme> accepted = SignatureAlgorithmsExtension.decode(
                request.extension(ExtensionType.SIGNATURE_ALGORITHMS).orElseThrow().data()).schemes();
        Identity identity = null;
        SignatureScheme scheme = null;
        for (Identity candidate : context.config().identities()) {
            Optional<SignatureScheme> chosen = Signatures.choose(accepted, Signatures.DEFAULT_PREFERENCE,
                    candidate.leaf().getPublicKey(), ProtocolVersion.TLS1_3);
            if (chosen.isPresent()) {
                identity = candidate;
                scheme = chosen.get();
                break;
            }
        }
        List<CertificateEntry> entries = new ArrayList<>();
        if (identity != null) {
            for (byte[] der : Certificates.encode(identity.chain())) {
                entries.add(new CertificateEntry(der, List.of()));
            }
        }
        // RFC 8446 §4.4.2: echo the request's context; with no suitable certificate the list is empty
        byte[] certificate = context.send(step, new Certificate13(request.requestContext(), entries));
        if (identity == null) {
            return certificate;
        }
        byte[] signature = Signatures.sign(crypto, scheme, identity.privateKey(), Tls13KeySchedule
                .certificateVerifyContent(false, transcriptHashWith.apply(certificate)));
        if (context.config().injects(Fault.TAMPER_CERTIFICATE_VERIFY)) {
            signature = Fault.corrupt(signature);
        }
        return Bytes.concat(certificate, context.send(step, new CertificateVerify(scheme, signature)));
    }

    /**
     * Seed step 11: the server's post-handshake CertificateRequest (RFC 8446 §4.6.2), answered at once with
     * Certificate, CertificateVerify and a Finished keyed by our current application traffic secret, all over the
     * handshake's transcript followed by this exchange (§4.4). Refused with unexpected_message when we never offered
     * post_handshake_auth (§4.2.6), i.e. when {@code handshakeDigest} is empty.
     */
    private static void answerCertificateRequest(HandshakeContext context, HandshakeFrame message,
                                                 byte[] handshakeDigest, TrafficSecret write) {
        if (handshakeDigest.length == 0) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                    "post-handshake CertificateRequest, but we did not offer post_handshake_auth");
        }
        CertificateRequest13 request = CertificateRequest13.decode(message.body());
        context.received(SeedStep.RENEGOTIATION, request, message);
        if (request.extension(ExtensionType.SIGNATURE_ALGORITHMS).isEmpty()) {
            // RFC 8446 §4.3.2: signature_algorithms must be present
            throw new TlsAlertException(AlertDescription.MISSING_EXTENSION, "CertificateRequest without signature_algorithms");
        }
        context.event(new HandshakeEvent.ValueComputed(SeedStep.RENEGOTIATION, "post_handshake_authentication",
                "TLS 1.3 has no renegotiation: post-handshake authentication, the server asks for our certificate"));
        CryptoProvider crypto = context.crypto();
        byte[] exchange = message.encode();
        exchange = Bytes.concat(exchange, sendClientCertificate(context, SeedStep.RENEGOTIATION, request,
                certificate -> SuspendedDigest.finishAfter(write.hash(), handshakeDigest,
                        Bytes.concat(message.encode(), certificate))));
        byte[] verifyData = write.finishedVerifyData(crypto, SuspendedDigest.finishAfter(write.hash(), handshakeDigest,
                exchange));
        if (context.config().injects(Fault.TAMPER_FINISHED)) {
            verifyData = Fault.corrupt(verifyData);
        }
        context.send(SeedStep.RENEGOTIATION, new Finished(verifyData));
    }

    /**
     * Seed steps 10 and 11: application data, NewSessionTicket (kept for resumption), KeyUpdate both ways, and
     * post-handshake authentication when we offered it ({@code handshakeDigest}: the transcript hash over ClientHello
     * through our Finished, suspended; empty when we did not offer post_handshake_auth).
     */
    private record Established(CipherSuiteId cipherSuite, TrafficSecret read, TrafficSecret write, SessionInfo session,
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
            if (message.type().equals(HandshakeType.NEW_SESSION_TICKET)) {
                NewSessionTicket13 ticket = NewSessionTicket13.decode(message.body());
                context.received(SeedStep.APPLICATION_DATA, ticket, message);
                if (ticket.lifetimeSeconds() == 0) {
                    return this; // RFC 8446 §4.6.1: a zero lifetime means the ticket must not be used
                }
                CryptoProvider crypto = context.crypto();
                CipherSuite suite = CipherSuites.require(cipherSuite);
                // RFC 8446 §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
                Secret psk = Tls13KeySchedule.resumptionPsk(crypto, suite.prfHash(), session.masterSecret(), ticket.nonce());
                context.secret(SeedStep.APPLICATION_DATA, "resumption_psk", psk);
                ResumptionTicket kept = new ResumptionTicket(ProtocolVersion.TLS1_3, cipherSuite, ticket.ticket(),
                        Bytes.EMPTY, psk, true, ticket.ageAdd(), ticket.lifetimeSeconds(), crypto.now().toEpochMilli(),
                        session.serverName(), session.applicationProtocol(), session.peerCertificates());
                SessionInfo next = session.withTicket(kept);
                context.established(next);
                return new Established(cipherSuite, read, write, next, handshakeDigest);
            }
            if (message.type().equals(HandshakeType.CERTIFICATE_REQUEST)) {
                answerCertificateRequest(context, message, handshakeDigest, write);
                return this;
            }
            require(message, HandshakeType.KEY_UPDATE);
            Tls13KeyUpdate.Secrets next = Tls13KeyUpdate.receive(context, message, CipherSuites.require(cipherSuite),
                    read, write);
            return new Established(cipherSuite, next.read(), next.write(), session, handshakeDigest);
        }

        /** TLS 1.3 has no renegotiation: seed step 11 is KeyUpdate(update_requested) (RFC 8446 §4.6.3). */
        @Override
        public HandshakeState renegotiate(HandshakeContext context) {
            TrafficSecret next = Tls13KeyUpdate.send(context, CipherSuites.require(cipherSuite), write, true);
            return new Established(cipherSuite, read, next, session, handshakeDigest);
        }
    }

}
