package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.ProtocolVersion;

import java.util.Objects;

/**
 * supported_versions in a ServerHello or HelloRetryRequest (RFC 8446 §4.2.1): the one {@code selected_version}.
 * Whether the client offered it is the client handshake's check (illegal_parameter).
 */
public record SupportedVersionsServer(ProtocolVersion selected) {

    public SupportedVersionsServer {
        Objects.requireNonNull(selected, "selected");
    }

    public static SupportedVersionsServer decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        ProtocolVersion selected = new ProtocolVersion(r.u16("selected_version"));
        r.finish("supported_versions");
        return new SupportedVersionsServer(selected);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.SUPPORTED_VERSIONS, w -> w.u16(selected.code()));
    }
}
