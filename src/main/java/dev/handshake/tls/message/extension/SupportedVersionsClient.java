package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.ProtocolVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * supported_versions in a ClientHello (RFC 8446 §4.2.1): {@code ProtocolVersion versions<2..254>}, in preference
 * order. GREASE versions (RFC 8701) are kept like any unknown value.
 */
public record SupportedVersionsClient(List<ProtocolVersion> versions) {

    public SupportedVersionsClient {
        versions = List.copyOf(versions);
        if (versions.isEmpty() || versions.size() > 127) {
            throw new IllegalArgumentException("versions<2..254>");
        }
    }

    public static SupportedVersionsClient decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = r.sub8("versions");
        if (list.remaining() < 2 || list.remaining() % 2 != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    "versions length " + list.remaining() + " is not a non-zero even number");
        }
        List<ProtocolVersion> versions = new ArrayList<>(list.remaining() / 2);
        while (list.hasRemaining()) {
            versions.add(new ProtocolVersion(list.u16("ProtocolVersion")));
        }
        r.finish("supported_versions");
        return new SupportedVersionsClient(versions);
    }

    public boolean offers(ProtocolVersion version) {
        return versions.contains(version);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.SUPPORTED_VERSIONS, w -> w.block8(list -> versions.forEach(v -> list.u16(v.code()))));
    }
}
