package dev.handshake.bench;

import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import java.util.List;

/**
 * The engine alone: our {@link TlsEngine} in this process, configured as the relay service configures it (same
 * options, identity and provider), with the server state serialized after every call and restored before the next,
 * as the service stores it between flights. Its latency is the engine's own handshake cost, the baseline that the
 * REST layer's overhead is measured against.
 */
final class InMemoryRelay implements RelayTransport {

    /** The server's time per handshake (all its engine calls, state encoding included), as "handshake". */
    final Samples serverTime = new Samples();
    private final TlsEngine server;
    private byte[] state;
    private long serverNanos;

    InMemoryRelay(ServiceIdentity identity, CryptoProvider crypto, String version) {
        // the relay service's defaults: COMPATIBLE profile, no client authentication, no key export
        SessionOptions options = new SessionOptions(version, "COMPATIBLE", null, null, null, "NONE", List.of(),
                List.of());
        server = new TlsEngine(TlsOptions.common(TlsConfig.server(), options, List.of())
                .identity(identity.identity()).trustAnchors(identity.trustAnchors())
                .clientAuth(ClientAuth.NONE).revealSecrets(false).build(), crypto);
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
