package dev.handshake.service.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/proxy}: the listener's live connections and counters, read-only. It shows negotiated parameters
 * and byte counts, never keys, secrets or traffic.
 */
@Endpoint(id = "proxy")
public class ProxyConnectionsEndpoint {

    private final ProxyServer server;
    private final ProxyConnections connections;

    ProxyConnectionsEndpoint(ProxyServer server, ProxyConnections connections) {
        this.server = server;
        this.connections = connections;
    }

    @ReadOperation
    public ProxyStatusResponse status() {
        Instant now = connections.clock().instant();
        List<ConnectionResponse> live = connections.live().stream().map(c -> new ConnectionResponse(c.id, c.peer,
                c.route, c.serverName, c.version, c.cipherSuite, c.applicationProtocol, c.clientCertificateSubject,
                c.phase.name().toLowerCase(java.util.Locale.ROOT), c.bytesFromClient, c.bytesToClient,
                c.bytesToUpstream, c.bytesFromUpstream, Duration.between(c.openedAt, now).toMillis())).toList();
        return new ProxyStatusResponse(server.isRunning(), server.port(), server.transport(), connections.openCount(),
                connections.counters(), live);
    }

    /** The listener and its connections. */
    public record ProxyStatusResponse(boolean running, int port, String transport, int open, Map<String, Long> counters,
                                      List<ConnectionResponse> connections) {
    }

    /** One live connection: TLS bytes to and from the client, plaintext bytes to and from the upstream. */
    public record ConnectionResponse(long id, String peer, String route, String serverName, String version,
                                     String cipherSuite, String applicationProtocol, String clientCertificateSubject,
                                     String phase, long bytesFromClient, long bytesToClient, long bytesToUpstream,
                                     long bytesFromUpstream, long ageMillis) {
    }
}
