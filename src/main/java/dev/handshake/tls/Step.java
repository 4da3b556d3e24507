package dev.handshake.tls;

import dev.handshake.tls.event.HandshakeEvent;
import java.util.List;

/**
 * The result of one call into the engine: the next state, the bytes to write to the peer (whole TLS records), what
 * happened, and the application data that arrived.
 */
public record Step(ConnectionState state, byte[] outbound, List<HandshakeEvent> events, byte[] applicationData) {
}
