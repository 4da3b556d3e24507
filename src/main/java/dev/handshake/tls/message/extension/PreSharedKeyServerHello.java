package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

/**
 * pre_shared_key in a ServerHello (RFC 8446 §4.2.11): {@code uint16 selected_identity}, an index into the client's
 * identities. That it is in range is the client handshake's check (illegal_parameter).
 */
public record PreSharedKeyServerHello(int selectedIdentity) {

    public PreSharedKeyServerHello {
        if (selectedIdentity < 0 || selectedIdentity > 0xffff) {
            throw new IllegalArgumentException("selected_identity is a uint16");
        }
    }

    public static PreSharedKeyServerHello decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        int selected = r.u16("selected_identity");
        r.finish("pre_shared_key");
        return new PreSharedKeyServerHello(selected);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.PRE_SHARED_KEY, w -> w.u16(selectedIdentity));
    }
}
