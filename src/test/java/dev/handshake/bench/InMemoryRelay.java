package dev.handshake.bench;

import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.resumption.InMemorySessionCache;
import java.security.SecureRandom;
import java.util.List;

/**
 * The engine alone: our {@link TlsEngine} in this process, configured as the relay service configures it (same
 * options, identity and provider, ticket keys, session cache and resumption label), with the server state serialized after every call and restored before the next,
 * as the service stores it between flights. Its latency is the engine's own handshake cost, the baseline that the
 * REST layer's overhead is measured against.
 */
final class InMemoryRelay implements RelayTransport {

    /** The service's default ticket lifetime ({@code handshake.tickets.lifetime}, 2 h). */
    private static final long TICKET_LIFETIME_SECONDS = 7200;

    /** The server's time per handshake (all its engine calls, state encoding included), as "handshake". */
    final Samples serverTime = new Samples();
    private final TlsEngine server;
    private byte[] state;
    private long serverNanos;

    InMemoryRelay(ServiceIdentity identity, CryptoProvider crypto, String version) {
        // the relay service's defaults: COMPATIBLE profile, no client authentication, no key export
        SessionOptions options = new SessionOptions(version, "COMPATIBLE", null, null, null, "NONE", List.of(),
                List.of());
        // and, like RelayService, it issues tickets under ticket keys, keeps TLS 1.2 sessions in a cache and labels its
        // resumption context: engine work the relay does in every handshake, so it belongs in the baseline
        server = new TlsEngine(TlsOptions.common(TlsConfig.server(), options, List.of())
                .identity(identity.identity()).trustAnchors(identity.trustAnchors())
                .clientAuth(ClientAuth.NONE)
                .ticketKeys(TicketKeys.generate(new SecureRandom()))
                .ticketLifetimeSeconds(TICKET_LIFETIME_SECONDS)
                .sessionCache(new InMemorySessionCache(InMemorySessionCache.DEFAULT_CAPACITY))
                .resumptionContextLabel("relay")
                .revealSecrets(false).build(), crypto);
    }

    @Override
    public byte[] open(byte[] firstFlight) {
        long start = System.nanoTime();
        state = server.start().state().toBytes();
        serverNanos += System.nanoTime() - start;
        return flight(firstFlight);
    }

    @Override
    public byte[] flight(byte[] records) {
        long start = System.nanoTime();
        Step step = server.advance(ConnectionState.fromBytes(state), records);
        state = step.state().toBytes();
        serverNanos += System.nanoTime() - start;
        return step.outbound();
    }

    @Override
    public void forget() {
        serverTime.add("handshake", serverNanos);
        serverNanos = 0;
        state = null;
    }
}
