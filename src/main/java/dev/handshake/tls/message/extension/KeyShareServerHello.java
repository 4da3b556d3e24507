package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Objects;

/** key_share in a ServerHello (RFC 8446 §4.2.8): the one {@code KeyShareEntry server_share}. */
public record KeyShareServerHello(KeyShareEntry share) {

    public KeyShareServerHello {
        Objects.requireNonNull(share, "share");
    }

    public static KeyShareServerHello decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        KeyShareEntry share = KeyShareEntry.decode(r);
        r.finish("key_share");
        return new KeyShareServerHello(share);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.KEY_SHARE, share::encode);
    }
}
