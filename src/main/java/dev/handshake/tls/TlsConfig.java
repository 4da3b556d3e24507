package dev.handshake.tls;

import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * How one connection is configured: role, profile, identities and trust, and the limits that bound what a peer can
 * make us do. Configuration is not connection state: it holds private keys, is rebuilt by whoever owns the
 * connection, and is passed in on every call.
 *
 * @param cipherSuites     when non-empty, a narrower preference list than the profile's (each must be in the profile)
 * @param identities       certificates we can present (server: one per key type; client: for client authentication)
 * @param trustAnchors     roots for checking the peer's chain (client: the server's; server: client certificates)
 * @param serverName       client: SNI to send and the name the server certificate must match (null: no SNI, no check)
 * @param maxRenegotiations renegotiations allowed per connection, either side initiating (DoS bound; 0 disables)
 * @param revealSecrets    emit {@code SecretDerived} events (walkthrough mode, key logs); off by default
 * @param maxHandshakeMessageLength the largest handshake message we buffer (bounds memory a peer can make us hold)
 * @param faults           deliberate errors our side commits (walkthrough faults, negative tests); empty normally
 * @param groups           TLS 1.3 key-exchange groups in our preference order: a server picks the first the client
 *                         can use, a client sends a key share for the first (and for secp256r1 when listed)
 * @param ticketKeys       server: the keys that seal and open session tickets (TLS 1.3 and RFC 5077); none: no tickets
 * @param ticketLifetimeSeconds server: the lifetime announced in (and enforced for) the tickets it issues
 * @param resumption       client: a ticket (or TLS 1.2 session) from an earlier connection to offer; null: none
 * @param sessionCache     server: where TLS 1.2 sessions are kept for resumption by session id; null: none
 * @param recordPadding    how our protected TLS 1.3 records are padded (RFC 8446 §5.4); none by default
 * @param postHandshakeAuth client: offer post_handshake_auth (RFC 8446 §4.2.6), so the server may ask for a
 *                         certificate after the handshake; we answer with an identity that fits, or an empty Certificate
 * @param pskStore         server: resolves an offered PSK identity to what resumption needs; null: tickets sealed with
 *                         {@code ticketKeys} (see {@link #psks()})
 * @param resumptionContext server: which sessions this configuration may resume; always derived from the identities,
 *                         client-auth policy and trust anchors here, plus the label of the one passed in (if any)
 */
public record TlsConfig(
        Role role,
        Profile profile,
        ProtocolVersion minVersion,
        ProtocolVersion maxVersion,
        List<CipherSuiteId> cipherSuites,
        List<Identity> identities,
        List<X509Certificate> trustAnchors,
        ClientAuth clientAuth,
        String serverName,
        List<String> applicationProtocols,
        int maxRenegotiations,
        boolean revealSecrets,
        int maxHandshakeMessageLength,
        java.util.Set<Fault> faults,
        List<dev.handshake.tls.wire.NamedGroup> groups,
        TicketKeys ticketKeys,
        long ticketLifetimeSeconds,
        ResumptionTicket resumption,
        dev.handshake.tls.resumption.SessionCache sessionCache,
        dev.handshake.tls.record.RecordPadding recordPadding,
        boolean postHandshakeAuth,
        dev.handshake.tls.resumption.PskStore pskStore,
        dev.handshake.tls.resumption.ResumptionContext resumptionContext) {

    public TlsConfig {
        java.util.Objects.requireNonNull(ticketKeys, "ticketKeys (TicketKeys.none() for no tickets)");
        java.util.Objects.requireNonNull(recordPadding, "recordPadding (RecordPadding.none() for none)");
        if (ticketLifetimeSeconds < 1 || ticketLifetimeSeconds > ResumptionTicket.MAX_LIFETIME_SECONDS) {
            // RFC 8446 §4.6.1: at most seven days
            throw new IllegalArgumentException("ticket lifetime must be 1 s .. 7 days");
        }
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("at least one key-exchange group is needed");
        }
        for (dev.handshake.tls.wire.NamedGroup group : groups) {
            if (!dev.handshake.tls.crypto.KeyAgreementGroups.supports(group)) {
                throw new IllegalArgumentException("unsupported group " + group);
            }
        }
        cipherSuites = List.copyOf(cipherSuites);
        identities = List.copyOf(identities);
        trustAnchors = List.copyOf(trustAnchors);
        applicationProtocols = List.copyOf(applicationProtocols);
        faults = faults.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(faults);
        // derived here, not trusted from the caller, so it always describes this configuration; only the label is kept
        resumptionContext = dev.handshake.tls.resumption.ResumptionContext.of(
                resumptionContext == null ? null : resumptionContext.label(), identities, clientAuth, trustAnchors);
        for (CipherSuiteId id : cipherSuites) {
            if (!profile.allows(id)) {
                throw new IllegalArgumentException(id + " is not in profile " + profile);
            }
        }
        if (minVersion.code() > maxVersion.code()) {
            throw new IllegalArgumentException("minVersion above maxVersion");
        }
        if (maxVersion.code() > ProtocolVersion.TLS1_3.code()) {
            throw new IllegalArgumentException("versions above TLS 1.3 are not known");
        }
        if (minVersion.code() < ProtocolVersion.TLS1_2.code()) {
            // RFC 8996: TLS 1.0 and 1.1 must not be negotiated
            throw new IllegalArgumentException("versions below TLS 1.2 are not supported (RFC 8996)");
        }
    }

    /** Whether this configuration can negotiate TLS 1.3: the version range reaches it and a 1.3 suite is enabled. */
    public boolean supportsTls13() {
        return maxVersion.isAtLeast(ProtocolVersion.TLS1_3)
                && enabledSuites().stream().anyMatch(id -> dev.handshake.tls.suite.CipherSuites.require(id).isTls13());
    }

    /** Whether this configuration can negotiate TLS 1.2: the range includes it and a 1.2 suite is enabled. */
    public boolean supportsTls12() {
        return !minVersion.isAtLeast(ProtocolVersion.TLS1_3)
                && enabledSuites().stream().anyMatch(id -> !dev.handshake.tls.suite.CipherSuites.require(id).isTls13());
    }

    /** The trust anchors as PKIX wants them. */
    public java.util.Set<java.security.cert.TrustAnchor> trustAnchorSet() {
        java.util.Set<java.security.cert.TrustAnchor> anchors = new java.util.HashSet<>();
        for (X509Certificate certificate : trustAnchors) {
            anchors.add(new java.security.cert.TrustAnchor(certificate, null));
        }
        return anchors;
    }

    /**
     * Where offered PSK identities are resolved: the configured store, or else our own tickets, opened with
     * {@code ticketKeys}; empty when neither can resolve anything (then no offered PSK is even tried).
     */
    public java.util.Optional<dev.handshake.tls.resumption.PskStore> psks() {
        if (pskStore != null) {
            return java.util.Optional.of(pskStore);
        }
        return ticketKeys.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new dev.handshake.tls.resumption.SealedTicketStore(ticketKeys));
    }

    public boolean injects(Fault fault) {
        return faults.contains(fault);
    }

    /** The suites this connection offers or accepts, in preference order. */
    public List<CipherSuiteId> enabledSuites() {
        return cipherSuites.isEmpty() ? profile.suites() : cipherSuites;
    }

    public static Builder server() {
        return new Builder(Role.SERVER);
    }

    public static Builder client() {
        return new Builder(Role.CLIENT);
    }

    /** Starts from this configuration, e.g. to change one setting in a test. */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        b.profile = profile;
        b.minVersion = minVersion;
        b.maxVersion = maxVersion;
        b.cipherSuites = new ArrayList<>(cipherSuites);
        b.identities = new ArrayList<>(identities);
        b.trustAnchors = new ArrayList<>(trustAnchors);
        b.clientAuth = clientAuth;
        b.serverName = serverName;
        b.applicationProtocols = new ArrayList<>(applicationProtocols);
        b.maxRenegotiations = maxRenegotiations;
        b.revealSecrets = revealSecrets;
        b.maxHandshakeMessageLength = maxHandshakeMessageLength;
        b.faults = new java.util.HashSet<>(faults);
        b.groups = new ArrayList<>(groups);
        b.ticketKeys = ticketKeys;
        b.ticketLifetimeSeconds = ticketLifetimeSeconds;
        b.resumption = resumption;
        b.sessionCache = sessionCache;
        b.sessionCacheSet = true;
        b.recordPadding = recordPadding;
        b.postHandshakeAuth = postHandshakeAuth;
        b.pskStore = pskStore;
        b.resumptionContextLabel = resumptionContext.label();
        return b;
    }

    /** Builds a {@link TlsConfig} with safe defaults. */
    public static final class Builder {
        private final Role role;
        // MODERN (ECDHE + AEAD, TLS 1.2 and 1.3) is the default; COMPATIBLE and LEGACY stay TLS 1.2 unless versions
        // are set, so the seed's RSA handshake is never silently mixed with a 1.3 offer
        private Profile profile = Profile.MODERN;
        private ProtocolVersion minVersion = ProtocolVersion.TLS1_2;
        /** Null until set: then TLS 1.3 for MODERN and TLS 1.2 for the other profiles. */
        private ProtocolVersion maxVersion;
        private List<dev.handshake.tls.wire.NamedGroup> groups =
                new ArrayList<>(dev.handshake.tls.crypto.KeyAgreementGroups.SUPPORTED);
        private List<CipherSuiteId> cipherSuites = new ArrayList<>();
        private List<Identity> identities = new ArrayList<>();
        private List<X509Certificate> trustAnchors = new ArrayList<>();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private String serverName;
        private List<String> applicationProtocols = new ArrayList<>();
        private int maxRenegotiations = 4;
        private boolean revealSecrets;
        // certificate chains are the largest messages; 64 KiB holds any realistic chain while bounding memory
        private int maxHandshakeMessageLength = 64 * 1024;
        private java.util.Set<Fault> faults = new java.util.HashSet<>();
        private TicketKeys ticketKeys = TicketKeys.none();
        // two hours: long enough for a browsing session, short enough that a stolen ticket soon expires
        private long ticketLifetimeSeconds = 7200;
        private ResumptionTicket resumption;
        // each built server configuration shares one bounded in-memory cache unless another (e.g. Redis) is given
        private dev.handshake.tls.resumption.SessionCache sessionCache;
        private dev.handshake.tls.record.RecordPadding recordPadding = dev.handshake.tls.record.RecordPadding.none();
        private boolean postHandshakeAuth;
        private dev.handshake.tls.resumption.PskStore pskStore;
        private String resumptionContextLabel;

        private Builder(Role role) {
            this.role = role;
        }

        public Builder profile(Profile profile) {
            this.profile = profile;
            return this;
        }

        public Builder versions(ProtocolVersion min, ProtocolVersion max) {
            this.minVersion = min;
            this.maxVersion = max;
            return this;
        }

        public Builder cipherSuites(List<CipherSuiteId> suites) {
            this.cipherSuites = new ArrayList<>(suites);
            return this;
        }

        public Builder identity(Identity identity) {
            this.identities.add(identity);
            return this;
        }

        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.trustAnchors = new ArrayList<>(anchors);
            return this;
        }

        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = new ArrayList<>(protocols);
            return this;
        }

        public Builder maxRenegotiations(int max) {
            this.maxRenegotiations = max;
            return this;
        }

        public Builder revealSecrets(boolean reveal) {
            this.revealSecrets = reveal;
            return this;
        }

        public Builder maxHandshakeMessageLength(int max) {
            this.maxHandshakeMessageLength = max;
            return this;
        }

        public Builder groups(List<dev.handshake.tls.wire.NamedGroup> groups) {
            this.groups = new ArrayList<>(groups);
            return this;
        }

        public Builder fault(Fault fault) {
            this.faults.add(fault);
            return this;
        }

        /** Server: the keys that seal and open session tickets (first seals, all open). */
        public Builder ticketKeys(TicketKeys keys) {
            this.ticketKeys = keys;
            return this;
        }

        public Builder ticketLifetimeSeconds(long seconds) {
            this.ticketLifetimeSeconds = seconds;
            return this;
        }

        /** Client: offer this ticket or session from an earlier connection (e.g. {@code session.latestTicket()}). */
        public Builder resumption(ResumptionTicket ticket) {
            this.resumption = ticket;
            return this;
        }

        /** Server: where TLS 1.2 sessions live for resumption by session id (null: no session-id resumption). */
        public Builder sessionCache(dev.handshake.tls.resumption.SessionCache cache) {
            this.sessionCache = cache;
            this.sessionCacheSet = true;
            return this;
        }

        private boolean sessionCacheSet;

        /** How our protected TLS 1.3 records are padded (RFC 8446 §5.4). */
        public Builder recordPadding(dev.handshake.tls.record.RecordPadding padding) {
            this.recordPadding = padding;
            return this;
        }

        /** Client: offer post-handshake authentication (RFC 8446 §4.2.6). */
        public Builder postHandshakeAuth(boolean offer) {
            this.postHandshakeAuth = offer;
            return this;
        }

        /** Server: resolve offered PSK identities here instead of opening them as our own sealed tickets. */
        public Builder pskStore(dev.handshake.tls.resumption.PskStore store) {
            this.pskStore = store;
            return this;
        }

        /**
         * Server: a label that joins the certificates and client-auth policy in the resumption context, so that
         * servers that must not resume each other's sessions differ even when those are equal (OpenSSL's
         * {@code SSL_CTX_set_session_id_context}). It must be the same on every replica that should resume a session.
         */
        public Builder resumptionContextLabel(String label) {
            this.resumptionContextLabel = label;
            return this;
        }

        public TlsConfig build() {
            ProtocolVersion max = maxVersion != null ? maxVersion
                    : profile == Profile.MODERN ? ProtocolVersion.TLS1_3 : ProtocolVersion.TLS1_2;
            return new TlsConfig(role, profile, minVersion, max, cipherSuites, identities, trustAnchors,
                    clientAuth, serverName, applicationProtocols, maxRenegotiations, revealSecrets,
                    maxHandshakeMessageLength, faults, groups, ticketKeys, ticketLifetimeSeconds, resumption,
                    sessionCacheSet || role != Role.SERVER ? sessionCache
                            : new dev.handshake.tls.resumption.InMemorySessionCache(
                                    dev.handshake.tls.resumption.InMemorySessionCache.DEFAULT_CAPACITY),
                    recordPadding, postHandshakeAuth, pskStore,
                    dev.handshake.tls.resumption.ResumptionContext.labelOnly(resumptionContextLabel));
        }
    }
}
