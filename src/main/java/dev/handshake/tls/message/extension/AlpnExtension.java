package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;

import java.util.ArrayList;
import java.util.List;

/**
 * application_layer_protocol_negotiation (RFC 7301 §3.1): {@code ProtocolName protocol_name_list<2..2^16-1>} of
 * {@code opaque ProtocolName<1..2^8-1>}. Names are decoded as strict UTF-8 (the IANA registry's names are ASCII), so
 * a decoded name re-encodes to exactly the bytes received. The server's reply carries exactly one name; checking
 * that is the handshake's job, since the same form serves both directions.
 */
public record AlpnExtension(List<String> protocols) {

    public AlpnExtension {
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocol_name_list<2..2^16-1> cannot be empty");
        }
        for (String protocol : protocols) {
            int length = Encoded.utf8(protocol).length;
            if (length < 1 || length > 0xff) {
                throw new IllegalArgumentException("ProtocolName<1..2^8-1>");
            }
        }
    }

    public static AlpnExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = r.sub16("protocol_name_list");
        if (!list.hasRemaining()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "protocol_name_list<2..2^16-1> is empty");
        }
        List<String> protocols = new ArrayList<>();
        while (list.hasRemaining()) {
            // RFC 7301 §3.1: "Empty strings MUST NOT be included" - the vector's minimum of 1.
            protocols.add(Encoded.utf8(list.vector8(1, "ProtocolName"), "ProtocolName"));
        }
        r.finish("application_layer_protocol_negotiation");
        return new AlpnExtension(protocols);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
                w -> w.block16(list -> protocols.forEach(p -> list.vector8(Encoded.utf8(p)))));
    }
}
