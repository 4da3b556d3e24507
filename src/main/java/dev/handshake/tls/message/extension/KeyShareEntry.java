package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.NamedGroup;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key share (RFC 8446 §4.2.8): {@code NamedGroup group; opaque key_exchange<1..2^16-1>}. The key_exchange
 * layout per group (§4.2.8.2, RFC 10024 for the hybrids) is validated by the key agreement, not here.
 */
public record KeyShareEntry(NamedGroup group, byte[] keyExchange) {

    public KeyShareEntry {
        Objects.requireNonNull(group, "group");
        keyExchange = keyExchange.clone();
        if (keyExchange.length < 1 || keyExchange.length > 0xffff) {
            throw new IllegalArgumentException("key_exchange<1..2^16-1>");
        }
    }

    public static KeyShareEntry decode(TlsReader r) {
        NamedGroup group = new NamedGroup(r.u16("group"));
        byte[] keyExchange = r.vector16(1, "key_exchange");
        return new KeyShareEntry(group, keyExchange);
    }

    public void encode(TlsWriter w) {
        w.u16(group.code());
        w.vector16(keyExchange);
    }

    @Override
    public byte[] keyExchange() {
        return keyExchange.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyShareEntry other && group.equals(other.group) && Arrays.equals(keyExchange, other.keyExchange);
    }

    @Override
    public int hashCode() {
        return 31 * group.hashCode() + Arrays.hashCode(keyExchange);
    }

    @Override
    public String toString() {
        return "KeyShareEntry[" + group.name() + ", " + Bytes.hex(keyExchange) + "]";
    }
}
