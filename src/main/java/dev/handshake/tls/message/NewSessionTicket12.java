package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TLS 1.2 NewSessionTicket (RFC 5077 §3.3): {@code uint32 ticket_lifetime_hint} (seconds, 0 = unspecified) and
 * {@code opaque ticket<0..2^16-1>}. The ticket is opaque to the client (it is the server's encrypted state).
 */
public record NewSessionTicket12(long lifetimeHintSeconds, byte[] ticket) implements HandshakeMessage {

    public NewSessionTicket12 {
        ticket = ticket.clone();
        if (lifetimeHintSeconds < 0 || lifetimeHintSeconds > 0xffffffffL) {
            throw new IllegalArgumentException("ticket_lifetime_hint is a uint32");
        }
        if (ticket.length > 0xffff) {
            throw new IllegalArgumentException("ticket<0..2^16-1>");
        }
    }

    public static NewSessionTicket12 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        long lifetime = r.u32("ticket_lifetime_hint");
        byte[] ticket = r.vector16(0, "ticket");
        r.finish("NewSessionTicket");
        return new NewSessionTicket12(lifetime, ticket);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.NEW_SESSION_TICKET;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u32(lifetimeHintSeconds);
        out.vector16(ticket);
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ticket_lifetime_hint", lifetimeHintSeconds);
        fields.put("ticket", Bytes.hex(ticket));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewSessionTicket12 other && lifetimeHintSeconds == other.lifetimeHintSeconds
                && Arrays.equals(ticket, other.ticket);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(lifetimeHintSeconds) + Arrays.hashCode(ticket);
    }

    @Override
    public String toString() {
        return "NewSessionTicket12[lifetime " + lifetimeHintSeconds + " s, " + ticket.length + " bytes]";
    }
}
