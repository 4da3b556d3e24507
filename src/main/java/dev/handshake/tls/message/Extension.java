package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One extension as it travels (RFC 5246 §7.4.1.4, RFC 8446 §4.2): its type and its undecoded extension_data. Typed
 * views live in {@code dev.handshake.tls.message.extension}; an extension nobody decodes, including GREASE
 * (RFC 8701), re-encodes exactly as it arrived.
 */
public record Extension(ExtensionType type, byte[] data) {

    public Extension {
        Objects.requireNonNull(type, "type");
        data = data.clone();
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("extension_data longer than 2^16-1");
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    /** The fields for events: the type by name and the data as hex. */
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type.name());
        fields.put("data", Bytes.hex(data));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extension other && type.equals(other.type) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Extension[" + type.name() + ", " + Bytes.hex(data) + "]";
    }
}
