package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;

/**
 * psk_key_exchange_modes (RFC 8446 §4.2.9): {@code PskKeyExchangeMode ke_modes<1..255>}; psk_ke(0), psk_dhe_ke(1).
 * Unknown modes are kept; the server ignores them.
 */
public record PskKeyExchangeModesExtension(byte[] modes) {

    public static final int PSK_KE = 0;
    public static final int PSK_DHE_KE = 1;

    public PskKeyExchangeModesExtension {
        modes = modes.clone();
        if (modes.length < 1 || modes.length > 0xff) {
            throw new IllegalArgumentException("ke_modes<1..255>");
        }
    }

    public static PskKeyExchangeModesExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        byte[] modes = r.vector8(1, "ke_modes");
        r.finish("psk_key_exchange_modes");
        return new PskKeyExchangeModesExtension(modes);
    }

    public boolean offers(int mode) {
        for (byte m : modes) {
            if ((m & 0xff) == mode) {
                return true;
            }
        }
        return false;
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.PSK_KEY_EXCHANGE_MODES, w -> w.vector8(modes));
    }

    @Override
    public byte[] modes() {
        return modes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PskKeyExchangeModesExtension other && Arrays.equals(modes, other.modes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(modes);
    }

    @Override
    public String toString() {
        return "PskKeyExchangeModesExtension[" + Bytes.hex(modes) + "]";
    }
}
