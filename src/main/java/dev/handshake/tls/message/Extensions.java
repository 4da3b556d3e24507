package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and writes the u16-prefixed extensions block shared by hellos and the TLS 1.3 messages (RFC 8446 §4.2). */
public final class Extensions {

    private Extensions() {
    }

    /**
     * Reads {@code Extension extensions<0..2^16-1>} including its length prefix. A type that appears twice is an
     * {@code illegal_parameter}: RFC 5246 §7.4.1.4 "There MUST NOT be more than one extension of the same type" and
     * RFC 8446 §4.2 likewise; a duplicate lets two parsers of the same hello disagree about what was offered.
     */
    public static List<Extension> decodeList(TlsReader r) {
        TlsReader block = r.sub16("extensions");
        List<Extension> extensions = new ArrayList<>();
        Set<ExtensionType> seen = new HashSet<>();
        while (block.hasRemaining()) {
            ExtensionType type = new ExtensionType(block.u16("extension_type"));
            byte[] data = block.vector16(0, "extension_data");
            if (!seen.add(type)) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "duplicate extension " + type.name());
            }
            extensions.add(new Extension(type, data));
        }
        block.finish("extensions");
        return List.copyOf(extensions);
    }

    /** Writes the extensions block with its u16 length prefix, in the given order. */
    public static void encodeList(TlsWriter w, List<Extension> extensions) {
        w.block16(b -> {
            for (Extension extension : extensions) {
                b.u16(extension.type().code());
                b.vector16(extension.data());
            }
        });
    }

    public static Optional<Extension> find(List<Extension> extensions, ExtensionType type) {
        for (Extension extension : extensions) {
            if (extension.type().equals(type)) {
                return Optional.of(extension);
            }
        }
        return Optional.empty();
    }

    /** The extensions for {@code describe()}: a list of {type, data} maps in wire order. */
    public static List<Map<String, Object>> describe(List<Extension> extensions) {
        List<Map<String, Object>> out = new ArrayList<>(extensions.size());
        for (Extension extension : extensions) {
            out.add(extension.describe());
        }
        return out;
    }

    /** Rejects a hand-built list with a repeated type, so the engine cannot send what it would refuse to receive. */
    static List<Extension> checkedCopy(List<Extension> extensions) {
        Set<ExtensionType> seen = new HashSet<>();
        for (Extension extension : extensions) {
            if (!seen.add(extension.type())) {
                throw new IllegalArgumentException("duplicate extension " + extension.type().name());
            }
        }
        return List.copyOf(extensions);
    }
}
