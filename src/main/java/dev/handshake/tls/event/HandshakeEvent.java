package dev.handshake.tls.event;

import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.List;
import java.util.Map;

/**
 * What happened during one call into the engine, in order. Every event names the seed step it belongs to, so any
 * consumer (the walkthrough API, the ladder diagram, metrics) can place it among the eleven steps.
 */
public sealed interface HandshakeEvent {

    SeedStep step();

    /** A handshake message we wrote; {@code encoded} includes the 4-byte handshake header. */
    record MessageSent(SeedStep step, String type, Map<String, Object> fields, byte[] encoded) implements HandshakeEvent {
    }

    record MessageReceived(SeedStep step, String type, Map<String, Object> fields, byte[] encoded)
            implements HandshakeEvent {
    }

    record ChangeCipherSpecSent(SeedStep step) implements HandshakeEvent {
    }

    record ChangeCipherSpecReceived(SeedStep step) implements HandshakeEvent {
    }

    /** Record protection changed in one direction ("read" or "write"), e.g. after ChangeCipherSpec. */
    record KeysChanged(SeedStep step, String direction, String protection) implements HandshakeEvent {
    }

    /**
     * A secret value the handshake derived (pre-master, master secret, key block parts, traffic secrets). Emitted only
     * when the connection's configuration asks for secrets; never logged by the engine.
     */
    record SecretDerived(SeedStep step, String name, Secret value) implements HandshakeEvent {
    }

    /** A public value computed locally (e.g. an ECDH share), shown to explain a step. */
    record ValueComputed(SeedStep step, String name, String value) implements HandshakeEvent {
    }

    /** The outcome of checking the peer's certificate chain (and, for a client, the server's name). */
    record PeerCertificateChecked(SeedStep step, boolean trusted, String problem, String detail,
                                  Map<String, Object> certificate) implements HandshakeEvent {
    }

    record AlertSent(SeedStep step, AlertLevel level, AlertDescription description, String reason)
            implements HandshakeEvent {
    }

    record AlertReceived(SeedStep step, AlertLevel level, AlertDescription description) implements HandshakeEvent {
    }

    record HandshakeCompleted(SeedStep step, ProtocolVersion version, CipherSuiteId cipherSuite, NamedGroup group,
                              boolean extendedMasterSecret, boolean resumed, boolean renegotiation,
                              String applicationProtocol, String serverName, List<Map<String, Object>> peerCertificates)
            implements HandshakeEvent {
    }

    record RenegotiationStarted(SeedStep step, String initiator) implements HandshakeEvent {
    }

    /** Renegotiation refused (insecure peer, limit reached or disabled): a warning no_renegotiation was sent. */
    record RenegotiationRefused(SeedStep step, String reason) implements HandshakeEvent {
    }

    record ApplicationDataReceived(SeedStep step, int length) implements HandshakeEvent {
    }

    record ApplicationDataSent(SeedStep step, int length) implements HandshakeEvent {
    }

    record ConnectionClosed(SeedStep step, boolean byPeer) implements HandshakeEvent {
    }
}
