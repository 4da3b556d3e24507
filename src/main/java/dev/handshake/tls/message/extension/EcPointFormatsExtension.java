package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;

/**
 * ec_point_formats (RFC 8422 §5.1.2): {@code ECPointFormat ec_point_format_list<1..2^8-1>}. Only uncompressed(0)
 * is still defined; whether it is present is the TLS 1.2 handshake's check (RFC 8422 §5.1.2).
 */
public record EcPointFormatsExtension(byte[] formats) {

    public static final int UNCOMPRESSED = 0;

    public EcPointFormatsExtension {
        formats = formats.clone();
        if (formats.length < 1 || formats.length > 0xff) {
            throw new IllegalArgumentException("ec_point_format_list<1..2^8-1>");
        }
    }

    public static EcPointFormatsExtension uncompressedOnly() {
        return new EcPointFormatsExtension(new byte[] {UNCOMPRESSED});
    }

    public static EcPointFormatsExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        byte[] formats = r.vector8(1, "ec_point_format_list");
        r.finish("ec_point_formats");
        return new EcPointFormatsExtension(formats);
    }

    public boolean offersUncompressed() {
        for (byte format : formats) {
            if (format == UNCOMPRESSED) {
                return true;
            }
        }
        return false;
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.EC_POINT_FORMATS, w -> w.vector8(formats));
    }

    @Override
    public byte[] formats() {
        return formats.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcPointFormatsExtension other && Arrays.equals(formats, other.formats);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(formats);
    }

    @Override
    public String toString() {
        return "EcPointFormatsExtension[" + Bytes.hex(formats) + "]";
    }
}
