package dev.handshake.tls.server;

import dev.handshake.tls.HandshakeContext;
import dev.handshake.tls.HandshakeState;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.extension.SupportedVersionsClient;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Optional;

/**
 * The server's first state, before the version is known: it reads supported_versions in the ClientHello and hands the
 * message to {@link Tls13ServerHandshake} or {@link Tls12ServerHandshake} (RFC 8446 §4.2.1: with the extension
 * present, the server chooses from it and ignores legacy_version).
 */
public final class ServerHandshake {

    private ServerHandshake() {
    }

    public static HandshakeState expectClientHello() {
        return new ExpectClientHello();
    }

    /** Seed step 1: the ClientHello of a new connection, either version. */
    private record ExpectClientHello() implements HandshakeState {
        @Override
        public SeedStep step() {
            return SeedStep.CLIENT_HELLO;
        }

        @Override
        public HandshakeState onMessage(HandshakeContext context, HandshakeFrame message) {
            if (!message.type().equals(HandshakeType.CLIENT_HELLO)) {
                throw unexpected(message.type().name());
            }
            TlsConfig config = context.config();
            Optional<SupportedVersionsClient> versions = ClientHello.decode(message.body())
                    .extension(ExtensionType.SUPPORTED_VERSIONS).map(e -> SupportedVersionsClient.decode(e.data()));
            if (versions.isPresent()) {
                if (config.supportsTls13() && versions.get().offers(ProtocolVersion.TLS1_3)) {
                    return Tls13ServerHandshake.processClientHello(context, message);
                }
                if (!versions.get().offers(ProtocolVersion.TLS1_2) || !config.supportsTls12()) {
                    throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "no protocol version in common");
                }
            } else if (!config.supportsTls12()) {
                // a client without supported_versions offers at most TLS 1.2
                throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "client offers at most TLS 1.2");
            }
            return Tls12ServerHandshake.processClientHello(context, message, null);
        }
    }
}
