package dev.handshake.service.proxy;

import java.time.Instant;

/**
 * What the actuator shows of one live client connection. Written only by the connection's event loop, read by the
 * endpoint: fields are volatile, and a reader may see a connection a moment before its handshake fields are set. It
 * never holds keys or secrets.
 */
final class ProxyConnection {

    enum Phase { HANDSHAKE, RELAYING, CLOSING }

    final long id;
    final String peer;
    final Instant openedAt;
    volatile Phase phase = Phase.HANDSHAKE;
    volatile String route;
    volatile String serverName;
    volatile String version;
    volatile String cipherSuite;
    volatile String applicationProtocol;
    volatile String clientCertificateSubject;
    /** TLS bytes received from the client, and sent to it. */
    volatile long bytesFromClient;
    volatile long bytesToClient;
    /** Plaintext relayed to and from the upstream. */
    volatile long bytesToUpstream;
    volatile long bytesFromUpstream;

    ProxyConnection(long id, String peer, Instant openedAt) {
        this.id = id;
        this.peer = peer;
        this.openedAt = openedAt;
    }
}
