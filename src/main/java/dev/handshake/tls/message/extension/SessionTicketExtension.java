package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

import java.util.Arrays;

/**
 * SessionTicket (RFC 5077 §3.2): extension_data is the ticket itself, with no inner length. Empty from a client that
 * has no ticket and from a server that will send one.
 */
public record SessionTicketExtension(byte[] ticket) {

    public SessionTicketExtension {
        ticket = ticket.clone();
        if (ticket.length > 0xffff) {
            throw new IllegalArgumentException("ticket longer than extension_data allows");
        }
    }

    public static SessionTicketExtension decode(byte[] data) {
        return new SessionTicketExtension(data);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.SESSION_TICKET, ticket);
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionTicketExtension other && Arrays.equals(ticket, other.ticket);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ticket);
    }

    @Override
    public String toString() {
        return "SessionTicketExtension[" + Bytes.hex(ticket) + "]";
    }
}
