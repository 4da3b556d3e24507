package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;

/**
 * cookie (RFC 8446 §4.2.2): {@code opaque cookie<1..2^16-1>}, sent in a HelloRetryRequest and echoed in the second
 * ClientHello, so a stateless server can carry its state through the client.
 */
public record CookieExtension(byte[] cookie) {

    public CookieExtension {
        cookie = cookie.clone();
        if (cookie.length < 1 || cookie.length > 0xfffd) {
            throw new IllegalArgumentException("cookie<1..2^16-1> (and its prefix must fit extension_data)");
        }
    }

    public static CookieExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        byte[] cookie = r.vector16(1, "cookie");
        r.finish("cookie");
        return new CookieExtension(cookie);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.COOKIE, w -> w.vector16(cookie));
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieExtension other && Arrays.equals(cookie, other.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "CookieExtension[" + Bytes.hex(cookie) + "]";
    }
}
