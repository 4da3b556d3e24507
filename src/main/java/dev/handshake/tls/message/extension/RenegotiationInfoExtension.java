package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;

/**
 * renegotiation_info (RFC 5746 §3.2): {@code opaque renegotiated_connection<0..255>}, empty on the first handshake
 * and the previous verify_data on a renegotiation, which binds the new handshake to the old one. The handshake
 * compares it in constant time.
 */
public record RenegotiationInfoExtension(byte[] renegotiatedConnection) {

    public RenegotiationInfoExtension {
        renegotiatedConnection = renegotiatedConnection.clone();
        if (renegotiatedConnection.length > 0xff) {
            throw new IllegalArgumentException("renegotiated_connection<0..255>");
        }
    }

    /** The initial handshake's form: an empty renegotiated_connection. */
    public static RenegotiationInfoExtension initial() {
        return new RenegotiationInfoExtension(new byte[0]);
    }

    public static RenegotiationInfoExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        byte[] connection = r.vector8(0, "renegotiated_connection");
        r.finish("renegotiation_info");
        return new RenegotiationInfoExtension(connection);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.RENEGOTIATION_INFO, w -> w.vector8(renegotiatedConnection));
    }

    @Override
    public byte[] renegotiatedConnection() {
        return renegotiatedConnection.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenegotiationInfoExtension other
                && Bytes.constantTimeEquals(renegotiatedConnection, other.renegotiatedConnection);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(renegotiatedConnection);
    }

    @Override
    public String toString() {
        return "RenegotiationInfoExtension[" + Bytes.hex(renegotiatedConnection) + "]";
    }
}
