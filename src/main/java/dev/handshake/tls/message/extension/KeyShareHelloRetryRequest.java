package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;

import java.util.Objects;

/**
 * key_share in a HelloRetryRequest (RFC 8446 §4.2.8): {@code NamedGroup selected_group}, the group the client must
 * use in its second ClientHello.
 */
public record KeyShareHelloRetryRequest(NamedGroup selectedGroup) {

    public KeyShareHelloRetryRequest {
        Objects.requireNonNull(selectedGroup, "selectedGroup");
    }

    public static KeyShareHelloRetryRequest decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        NamedGroup group = new NamedGroup(r.u16("selected_group"));
        r.finish("key_share");
        return new KeyShareHelloRetryRequest(group);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.KEY_SHARE, w -> w.u16(selectedGroup.code()));
    }
}
