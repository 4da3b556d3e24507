package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * key_share in a ClientHello (RFC 8446 §4.2.8): {@code KeyShareEntry client_shares<0..2^16-1>}. Empty is valid: a
 * client may ask the server to pick a group with a HelloRetryRequest.
 */
public record KeyShareClientHello(List<KeyShareEntry> shares) {

    public KeyShareClientHello {
        shares = List.copyOf(shares);
        if (firstRepeatedGroup(shares).isPresent()) {
            throw new IllegalArgumentException("one share per group (RFC 8446 §4.2.8)");
        }
    }

    public static KeyShareClientHello decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = r.sub16("client_shares");
        List<KeyShareEntry> shares = new ArrayList<>();
        while (list.hasRemaining()) {
            shares.add(KeyShareEntry.decode(list));
        }
        r.finish("key_share");
        // RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group ... Servers MAY
        // check for violations of these rules and abort the handshake with an "illegal_parameter" alert."
        Optional<NamedGroup> repeated = firstRepeatedGroup(shares);
        if (repeated.isPresent()) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "two key shares for " + repeated.get().name());
        }
        return new KeyShareClientHello(shares);
    }

    public Optional<KeyShareEntry> shareFor(NamedGroup group) {
        return shares.stream().filter(s -> s.group().equals(group)).findFirst();
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.KEY_SHARE, w -> w.block16(list -> shares.forEach(s -> s.encode(list))));
    }

    private static Optional<NamedGroup> firstRepeatedGroup(List<KeyShareEntry> shares) {
        Set<NamedGroup> seen = new HashSet<>();
        for (KeyShareEntry share : shares) {
            if (!seen.add(share.group())) {
                return Optional.of(share.group());
            }
        }
        return Optional.empty();
    }
}
