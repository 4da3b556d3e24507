package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1): {@code NamedGroup named_group_list<2..2^16-1>}, in the
 * client's order of preference. Unknown and GREASE groups are kept.
 */
public record SupportedGroupsExtension(List<NamedGroup> groups) {

    public SupportedGroupsExtension {
        groups = List.copyOf(groups);
        if (groups.isEmpty() || groups.size() > 0x7fff) {
            throw new IllegalArgumentException("named_group_list<2..2^16-1>");
        }
    }

    public static SupportedGroupsExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = Encoded.u16List(r, "named_group_list");
        List<NamedGroup> groups = new ArrayList<>(list.remaining() / 2);
        while (list.hasRemaining()) {
            groups.add(new NamedGroup(list.u16("NamedGroup")));
        }
        r.finish("supported_groups");
        return new SupportedGroupsExtension(groups);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.SUPPORTED_GROUPS, w -> w.block16(list -> groups.forEach(g -> list.u16(g.code()))));
    }
}
